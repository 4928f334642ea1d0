"""The baseline of bench_survey.py: a bare Flask app serving one small page from a template.

No database, session, CSRF, translations or extensions: what gunicorn and Flask alone cost for a
rendered page, served with the same worker settings as the app in the same run.

    gunicorn -w 2 --threads 4 --chdir bench bare_app:app
"""

from __future__ import annotations

from flask import Flask, render_template

app = Flask(__name__, template_folder="templates")

SECTIONS = ("Legal", "Technical", "Organizational", "Capacity development", "Cooperation")


@app.get("/")
def page() -> str:
    return render_template("bare.html", title="Capacity development", sections=SECTIONS)
