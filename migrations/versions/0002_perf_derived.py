"""performance: indexes for every list filter, flags and area totals as columns, stored model-answer results

Revision ID: 0002_perf_derived
Revises: 0002_papers
Create Date: 2026-11-30 15:00:00

Backfills ``attempts.flagged``, ``user_area_stats`` and ``question_areas``
from the JSON they summarise, in batches, so an existing database keeps
its history and filters.
"""
import json
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = '0002_perf_derived'
down_revision = '0002_papers'
branch_labels = None
depends_on = None

BATCH = 5000


def _json(value):
    if value is None or isinstance(value, (dict, list)):
        return value
    return json.loads(value)


def _area_totals(result):
    # Same rule as fazhi_prep.denormalized.area_totals (a migration must not import app code).
    totals = {}
    for point in (result or {}).get("points", []):
        key = point.get("area")
        if not key:
            continue
        weight = max(float(point.get("weight") or 0), 0.0) or 1.0
        acc = totals.setdefault(key, [0.0, 0.0, 0])
        acc[0] += weight * float(point.get("counted_coverage", point.get("coverage", 0)))
        acc[1] += weight
        acc[2] += 1
    return totals


def upgrade():
    op.create_index('ix_users_role_username', 'users', ['role', 'username'])
    op.create_index('ix_questions_published_order', 'questions', ['published', 'position', 'slug'])
    op.create_index('ix_questions_genre_key', 'questions', ['genre_key'])
    op.create_index('ix_questions_limit_max', 'questions', ['limit_max'])

    op.create_table(
        'question_areas',
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('area_key', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['question_id'], ['questions.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('question_id', 'area_key'),
    )
    op.create_index('ix_question_areas_area_question', 'question_areas', ['area_key', 'question_id'])

    op.create_table(
        'user_area_stats',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('area', sa.String(length=32), nullable=False),
        sa.Column('weighted', sa.Double(), nullable=False),
        sa.Column('weight', sa.Double(), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'area'),
    )

    op.create_table(
        'model_answer_results',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('rubric_id', sa.Integer(), nullable=False),
        sa.Column('model_answer_id', sa.Integer(), nullable=False),
        sa.Column('text_hash', sa.String(length=64), nullable=False),
        sa.Column('result', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['rubric_id'], ['rubrics.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['model_answer_id'], ['model_answers.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('rubric_id', 'model_answer_id', 'text_hash'),
    )
    op.create_index('ix_model_answer_results_model_answer_id', 'model_answer_results', ['model_answer_id'])

    with op.batch_alter_table('attempts') as batch_op:
        batch_op.add_column(sa.Column('flagged', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index('ix_attempts_user_submitted', 'attempts', ['user_id', 'submitted_at', 'id'])
    op.create_index('ix_attempts_user_question', 'attempts',
                    ['user_id', 'question_id', 'submitted_at', 'id', 'score', 'override_score'])
    op.create_index('ix_attempts_submitted', 'attempts', ['submitted_at', 'id'])
    op.create_index('ix_attempts_question_submitted', 'attempts', ['question_id', 'submitted_at', 'id'])
    op.create_index(
        'ix_attempts_flagged_submitted', 'attempts', ['submitted_at', 'id'],
        sqlite_where=sa.text('flagged'), postgresql_where=sa.text('flagged'),
    )
    op.create_index(
        'ix_attempts_overridden_submitted', 'attempts', ['submitted_at', 'id'],
        sqlite_where=sa.text('override_score IS NOT NULL'),
        postgresql_where=sa.text('override_score IS NOT NULL'),
    )
    op.create_index(
        'ix_attempts_user_overridden', 'attempts', ['user_id', 'submitted_at'],
        sqlite_where=sa.text('override_score IS NOT NULL'),
        postgresql_where=sa.text('override_score IS NOT NULL'),
    )
    _backfill()


def _backfill():
    conn = op.get_bind()
    attempts = sa.table('attempts', sa.column('id', sa.Integer), sa.column('user_id', sa.Integer),
                        sa.column('result', sa.JSON), sa.column('flagged', sa.Boolean))
    flagged_ids = []
    stats = defaultdict(lambda: [0.0, 0.0, 0, 0])
    last = 0
    while True:
        rows = conn.execute(
            sa.select(attempts.c.id, attempts.c.user_id, attempts.c.result)
            .where(attempts.c.id > last).order_by(attempts.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        for attempt_id, user_id, raw in rows:
            result = _json(raw) or {}
            if result.get("flags"):
                flagged_ids.append(attempt_id)
            for area, (weighted, weight, points) in _area_totals(result).items():
                acc = stats[(user_id, area)]
                acc[0] += weighted
                acc[1] += weight
                acc[2] += points
                acc[3] += 1
        last = rows[-1][0]
    for i in range(0, len(flagged_ids), BATCH):
        chunk = flagged_ids[i:i + BATCH]
        conn.execute(attempts.update().where(attempts.c.id.in_(chunk)).values(flagged=True))
    user_area_stats = sa.table('user_area_stats', sa.column('user_id'), sa.column('area'), sa.column('weighted'),
                               sa.column('weight'), sa.column('points'), sa.column('attempts'))
    rows = [dict(user_id=u, area=a, weighted=v[0], weight=v[1], points=v[2], attempts=v[3])
            for (u, a), v in stats.items()]
    if rows:
        conn.execute(user_area_stats.insert(), rows)

    questions = sa.table('questions', sa.column('id', sa.Integer), sa.column('areas', sa.JSON))
    links = []
    for question_id, raw in conn.execute(sa.select(questions.c.id, questions.c.areas)):
        for key in dict.fromkeys(str(a) for a in _json(raw) or []):
            links.append(dict(question_id=question_id, area_key=key))
    if links:
        conn.execute(sa.table('question_areas', sa.column('question_id'), sa.column('area_key')).insert(), links)


def downgrade():
    for name in ('ix_attempts_user_overridden', 'ix_attempts_overridden_submitted', 'ix_attempts_flagged_submitted', 'ix_attempts_question_submitted',
                 'ix_attempts_submitted', 'ix_attempts_user_question', 'ix_attempts_user_submitted'):
        op.drop_index(name, table_name='attempts')
    with op.batch_alter_table('attempts') as batch_op:
        batch_op.drop_column('flagged')
    op.drop_index('ix_model_answer_results_model_answer_id', table_name='model_answer_results')
    op.drop_table('model_answer_results')
    op.drop_table('user_area_stats')
    op.drop_index('ix_question_areas_area_question', table_name='question_areas')
    op.drop_table('question_areas')
    for name, table in (('ix_questions_limit_max', 'questions'), ('ix_questions_genre_key', 'questions'),
                        ('ix_questions_published_order', 'questions'), ('ix_users_role_username', 'users')):
        op.drop_index(name, table_name=table)
