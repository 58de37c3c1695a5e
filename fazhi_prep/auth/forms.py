from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from ..extensions import db
from ..models import User
from .passwords import MAX_LENGTH, password_problem


def strip_text(value):
    # " cand1" and "cand1\n" are the same name as "cand1", not lookalike accounts.
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名")], filters=[strip_text])
    password = PasswordField("密码", validators=[DataRequired("请输入密码")])
    remember = BooleanField("记住我（两周内免登录）")
    submit = SubmitField("登录")


# Shared by self-registration and admin-created accounts, so both accept the same names.
# \A…\Z, not ^…$: `$` also matches before a trailing newline.
USERNAME_RULES = (
    DataRequired("请输入用户名"),
    Length(3, 32, "用户名应为 3–32 个字符"),
    Regexp(r"\A[A-Za-z0-9_\-\u4e00-\u9fff]+\Z", message="用户名只能包含中文、字母、数字、_ 和 -"),
)
USERNAME_FILTERS = (strip_text,)
PASSWORD_RULES = (DataRequired("请输入密码"), Length(max=MAX_LENGTH, message=f"密码最多 {MAX_LENGTH} 位"))


def password_rule(username_field: str | None = None):
    """The shared password rule as a validator; ``username_field`` names the form's username."""

    def validate(form, field) -> None:
        username = form[username_field].data if username_field else getattr(form, "account_name", None)
        problem = password_problem(field.data or "", username)
        if problem:
            raise ValidationError(problem)

    return validate


class RegisterForm(FlaskForm):
    username = StringField("用户名", validators=list(USERNAME_RULES), filters=list(USERNAME_FILTERS))
    password = PasswordField("密码", validators=[*PASSWORD_RULES, password_rule("username")],
                             description="至少 8 位；不能是常见密码，也不能与用户名相同。")
    password2 = PasswordField(
        "确认密码", validators=[DataRequired("请再次输入密码"), EqualTo("password", "两次输入的密码不一致")]
    )
    submit = SubmitField("注册")

    def validate_username(self, field) -> None:
        if db.session.scalar(select(User.id).where(User.username == field.data)):
            raise ValidationError("该用户名已被使用")


class ChangePasswordForm(FlaskForm):
    """The account page: a new password for oneself (the other devices are signed out)."""

    current = PasswordField("当前密码", validators=[DataRequired("请输入当前密码")])
    password = PasswordField("新密码", validators=[*PASSWORD_RULES, password_rule()],
                             description="至少 8 位；不能是常见密码，也不能与用户名相同。")
    password2 = PasswordField(
        "确认新密码", validators=[DataRequired("请再次输入新密码"), EqualTo("password", "两次输入的密码不一致")]
    )
    submit = SubmitField("修改密码")

    def __init__(self, *args, account_name: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_name = account_name


class EmptyForm(FlaskForm):
    """CSRF-only form for buttons that change state (logout, delete, confirm)."""

    submit = SubmitField("确定")
