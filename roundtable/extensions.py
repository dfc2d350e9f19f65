"""Flask extensions, created unbound; ``create_app`` binds them with ``init_app``.

Flask-Migrate is not here: it imports Alembic (with Mako and Pygments, some 12 MB), which the
serving process never needs. ``create_app`` registers it unless told not to (``python app.py``
upgrades the database in a child process instead, see bootstrap.py)."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
socketio = SocketIO()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
compress = Compress()
limiter = Limiter(key_func=get_remote_address)
