from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, ValidationError

from ..auth.forms import PASSWORD_RULES, USERNAME_FILTERS, USERNAME_RULES, password_rule
from ..models import ROLE_LABELS, Role
from ..tutor.forms import choices
from .service import username_taken

ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in Role]


class CreateUserForm(FlaskForm):
    username = StringField("用户名", validators=list(USERNAME_RULES), filters=list(USERNAME_FILTERS))
    password = PasswordField("初始密码", validators=[*PASSWORD_RULES, password_rule("username")])
    role = SelectField("角色", choices=choices(ROLE_CHOICES), default=Role.CANDIDATE.value)
    submit = SubmitField("创建账号")

    def validate_username(self, field) -> None:
        if username_taken(field.data):
            raise ValidationError("该用户名已被使用")


class RoleForm(FlaskForm):
    role = SelectField("角色", choices=choices(ROLE_CHOICES))
    submit = SubmitField("保存角色")


class PasswordForm(FlaskForm):
    password = PasswordField("新密码", validators=[DataRequired("请输入新密码"), *PASSWORD_RULES[1:], password_rule()])
    submit = SubmitField("重设密码")

    def __init__(self, *args, account_name: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_name = account_name
