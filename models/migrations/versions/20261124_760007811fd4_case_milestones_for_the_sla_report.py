"""case milestones for the SLA report

Revision ID: 760007811fd4
Revises: 519f74c4b0a4
Create Date: 2026-11-24 05:23:04.120684
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '760007811fd4'
down_revision: str | Sequence[str] | None = '519f74c4b0a4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('case_milestones',
    sa.Column('case_id', sa.String(), nullable=False),
    sa.Column('scenario', sa.String(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('district_code', sa.String(), nullable=True),
    sa.Column('street_code', sa.String(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('disposed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution', sa.String(), nullable=True),
    sa.Column('response_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('disposal_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('breaches', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_milestones'))
    )
    with op.batch_alter_table('case_milestones', schema=None) as batch_op:
        batch_op.create_index('ix_case_milestones_district_received', ['district_code', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_milestones_received_at'), ['received_at'], unique=False)
        batch_op.create_index('ix_case_milestones_street_received', ['street_code', 'received_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('case_milestones', schema=None) as batch_op:
        batch_op.drop_index('ix_case_milestones_street_received')
        batch_op.drop_index(batch_op.f('ix_case_milestones_received_at'))
        batch_op.drop_index('ix_case_milestones_district_received')

    op.drop_table('case_milestones')
