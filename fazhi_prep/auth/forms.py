from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from ..extensions import db
from ..models import User


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名")])
    password = PasswordField("密码", validators=[DataRequired("请输入密码")])
    remember = BooleanField("记住我")
    submit = SubmitField("登录")


# Shared by self-registration and admin-created accounts, so both accept the same names.
USERNAME_RULES = (
    DataRequired("请输入用户名"),
    Length(3, 32, "用户名应为 3–32 个字符"),
    Regexp(r"^[A-Za-z0-9_\-\u4e00-\u9fff]+$", message="用户名只能包含中文、字母、数字、_ 和 -"),
)
PASSWORD_RULES = (DataRequired("请输入密码"), Length(8, 128, "密码至少 8 位"))


class RegisterForm(FlaskForm):
    username = StringField("用户名", validators=list(USERNAME_RULES))
    password = PasswordField("密码", validators=list(PASSWORD_RULES))
    password2 = PasswordField(
        "确认密码", validators=[DataRequired("请再次输入密码"), EqualTo("password", "两次输入的密码不一致")]
    )
    submit = SubmitField("注册")

    def validate_username(self, field) -> None:
        if db.session.scalar(select(User.id).where(User.username == field.data)):
            raise ValidationError("该用户名已被使用")


class EmptyForm(FlaskForm):
    """CSRF-only form for buttons that change state (logout, delete, confirm)."""

    submit = SubmitField("确定")
