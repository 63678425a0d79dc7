"""The digital-maturity self-assessment: a shipped questionnaire, company versions and team answers, the result
with its learning path, the PDF report and the centres' distribution (its API route is lms/api/assessments.py,
which the API registers).

The blueprint is made in blueprint.py; `init_app` imports the view modules, which add their routes to it.
"""


def init_app(app):
    from lms.assessment import loader, models, views_answer, views_centre, views_company, views_result  # noqa: F401  (models: register the tables; views: routes on bp)
    from lms.assessment.questionnaire import questionnaire
    from lms.content import loading

    # Checked at start-up: a broken questions.yaml stops the app with every problem as path:line: message.
    questionnaire()
    loading.register(loader.LOADER)
    from lms.assessment.blueprint import bp

    app.register_blueprint(bp)
