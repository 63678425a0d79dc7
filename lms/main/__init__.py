"""The home page and the language switch."""


def init_app(app):
    from lms.main import views

    app.register_blueprint(views.bp)
