"""Role checks as decorators, applied on top of login_required."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from ..models import Role


def roles_required(*roles: Role):
    """Refuse (403) a logged-in user without one of ``roles``; send others to login."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


tutor_required = roles_required(Role.TUTOR)
admin_required = roles_required(Role.ADMIN)
