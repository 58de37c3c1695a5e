"""security: logins as revocable rows, user ids never reused, draft revisions

Revision ID: 0002_sec_security
Revises: 0002_perf_derived

- login_sessions: one row per login; session and 记住我 cookies carry its token
  (Flask-Login's alternative id), so logout, a new password, 退出所有设备 or a
  deleted account revoke them.
- SQLite: the users table is rebuilt with AUTOINCREMENT so a deleted account's
  id is never given to the next one (PostgreSQL sequences never reuse ids).
- drafts.revision: counts saves, so a save from a stale page is detected.
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_sec_security"
down_revision = "0002_perf_derived"
branch_labels = None
depends_on = None


def _rebuild_sqlite_users(bind) -> None:
    # Rebuilding a table other tables point at needs foreign keys off, which
    # SQLite only allows outside a transaction: commit what is done so far,
    # rebuild, check every reference still resolves, then turn them back on.
    raw = bind.connection.dbapi_connection
    raw.commit()
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        with op.batch_alter_table(
            "users", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise RuntimeError(f"foreign keys broken by the users rebuild: {broken[:5]}")
        raw.commit()
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _rebuild_sqlite_users(bind)
    op.create_table(
        "login_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_login_sessions_token", "login_sessions", ["token"], unique=True)
    op.create_index("ix_login_sessions_user_id", "login_sessions", ["user_id"], unique=False)
    with op.batch_alter_table("drafts") as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))


def downgrade():
    with op.batch_alter_table("drafts") as batch_op:
        batch_op.drop_column("revision")
    op.drop_index("ix_login_sessions_user_id", table_name="login_sessions")
    op.drop_index("ix_login_sessions_token", table_name="login_sessions")
    op.drop_table("login_sessions")
