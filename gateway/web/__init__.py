"""The clerk's workplace: a small server-rendered web application on the register (Starlette, Jinja2,
plain forms, no script). `app.create_app` builds it; `gateway web` serves it with uvicorn on 127.0.0.1."""
