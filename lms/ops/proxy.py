"""Trust X-Forwarded-For/-Proto/-Host from exactly LMS_PROXY_FIX proxies in front of the app (0: none).

Behind nginx the peer address is the proxy's, so every client would share one rate-limit counter; with the
setting the client's own address is used. Without a proxy the headers are the client's to forge, so they are
trusted only when the operator says how many proxies there are.
"""
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app):
    proxies = int(app.config["PROXY_FIX"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)
