"""initial: directory, registries, case ledger

Revision ID: 089243c0acce
Revises: 
Create Date: 2026-11-24 04:51:30.133919
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '089243c0acce'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('case_ledger',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(), nullable=False),
    sa.Column('workflow_id', sa.String(), nullable=False),
    sa.Column('scenario', sa.String(), nullable=False),
    sa.Column('tier', sa.String(), nullable=False),
    sa.Column('unit_code', sa.String(), nullable=False),
    sa.Column('violation', sa.String(), nullable=True),
    sa.Column('plate', sa.String(), nullable=True),
    sa.Column('outcome', sa.String(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.CheckConstraint("tier IN ('street', 'district', 'city')", name='ck_case_ledger_tier'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_ledger')),
    sa.UniqueConstraint('case_id', 'tier', name='uq_case_ledger_case_tier')
    )
    with op.batch_alter_table('case_ledger', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_ledger_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_ledger_plate'), ['plate'], unique=False)
        batch_op.create_index('ix_case_ledger_unit', ['tier', 'unit_code', 'opened_at'], unique=False)

    op.create_table('districts',
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_districts'))
    )
    op.create_table('handling_units',
    sa.Column('code', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('district_codes', sa.JSON(), nullable=False),
    sa.CheckConstraint("kind IN ('city', 'district', 'functional_zone')", name='ck_handling_units_kind'),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_handling_units'))
    )
    op.create_table('muck_trucks',
    sa.Column('plate', sa.String(), nullable=False),
    sa.Column('company', sa.String(), nullable=False),
    sa.Column('home_district_code', sa.String(), nullable=False),
    sa.Column('sample', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['home_district_code'], ['districts.code'], name=op.f('fk_muck_trucks_home_district_code_districts')),
    sa.PrimaryKeyConstraint('plate', name=op.f('pk_muck_trucks'))
    )
    with op.batch_alter_table('muck_trucks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_muck_trucks_home_district_code'), ['home_district_code'], unique=False)

    op.create_table('streets',
    sa.Column('code', sa.String(length=9), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('district_code', sa.String(), nullable=False),
    sa.Column('handling_unit_code', sa.String(), nullable=False),
    sa.Column('seat_lon', sa.Float(), nullable=False),
    sa.Column('seat_lat', sa.Float(), nullable=False),
    sa.Column('seat_source', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['district_code'], ['districts.code'], name=op.f('fk_streets_district_code_districts')),
    sa.ForeignKeyConstraint(['handling_unit_code'], ['handling_units.code'], name=op.f('fk_streets_handling_unit_code_handling_units')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_streets'))
    )
    with op.batch_alter_table('streets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_streets_district_code'), ['district_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_streets_handling_unit_code'), ['handling_unit_code'], unique=False)

    op.create_table('cameras',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('district_code', sa.String(), nullable=False),
    sa.Column('street_code', sa.String(), nullable=False),
    sa.Column('heading_deg', sa.Float(), nullable=False),
    sa.Column('road_name', sa.String(), nullable=False),
    sa.Column('sample', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['district_code'], ['districts.code'], name=op.f('fk_cameras_district_code_districts')),
    sa.ForeignKeyConstraint(['street_code'], ['streets.code'], name=op.f('fk_cameras_street_code_streets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cameras'))
    )
    with op.batch_alter_table('cameras', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cameras_district_code'), ['district_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_cameras_street_code'), ['street_code'], unique=False)

    op.create_table('construction_sites',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('district_code', sa.String(), nullable=False),
    sa.Column('street_code', sa.String(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('geofence', sa.Text(), nullable=False),
    sa.Column('sample', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['district_code'], ['districts.code'], name=op.f('fk_construction_sites_district_code_districts')),
    sa.ForeignKeyConstraint(['street_code'], ['streets.code'], name=op.f('fk_construction_sites_street_code_streets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_construction_sites'))
    )
    with op.batch_alter_table('construction_sites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_construction_sites_district_code'), ['district_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_construction_sites_street_code'), ['street_code'], unique=False)

    op.create_table('officers',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('street_code', sa.String(), nullable=False),
    sa.Column('handling_unit_code', sa.String(), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('is_street_lead', sa.Boolean(), nullable=False),
    sa.Column('sample', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['handling_unit_code'], ['handling_units.code'], name=op.f('fk_officers_handling_unit_code_handling_units')),
    sa.ForeignKeyConstraint(['street_code'], ['streets.code'], name=op.f('fk_officers_street_code_streets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_officers'))
    )
    with op.batch_alter_table('officers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_officers_handling_unit_code'), ['handling_unit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_officers_street_code'), ['street_code'], unique=False)

    op.create_table('duty_shifts',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('officer_id', sa.String(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sample', sa.Boolean(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name='ck_duty_shifts_order'),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_duty_shifts_officer_id_officers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duty_shifts'))
    )
    with op.batch_alter_table('duty_shifts', schema=None) as batch_op:
        batch_op.create_index('ix_duty_shifts_officer_time', ['officer_id', 'starts_at', 'ends_at'], unique=False)
        batch_op.create_index('ix_duty_shifts_time', ['starts_at', 'ends_at'], unique=False)

    op.create_table('transport_permits',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('plate', sa.String(), nullable=False),
    sa.Column('site_id', sa.String(), nullable=False),
    sa.Column('company', sa.String(), nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('permitted_start', sa.Time(), nullable=False),
    sa.Column('permitted_end', sa.Time(), nullable=False),
    sa.Column('route', sa.Text(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('sample', sa.Boolean(), nullable=False),
    sa.CheckConstraint("status IN ('active', 'revoked')", name='ck_transport_permits_status'),
    sa.ForeignKeyConstraint(['site_id'], ['construction_sites.id'], name=op.f('fk_transport_permits_site_id_construction_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transport_permits'))
    )
    with op.batch_alter_table('transport_permits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transport_permits_plate'), ['plate'], unique=False)
        batch_op.create_index(batch_op.f('ix_transport_permits_site_id'), ['site_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('transport_permits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transport_permits_site_id'))
        batch_op.drop_index(batch_op.f('ix_transport_permits_plate'))

    op.drop_table('transport_permits')
    with op.batch_alter_table('duty_shifts', schema=None) as batch_op:
        batch_op.drop_index('ix_duty_shifts_time')
        batch_op.drop_index('ix_duty_shifts_officer_time')

    op.drop_table('duty_shifts')
    with op.batch_alter_table('officers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_officers_street_code'))
        batch_op.drop_index(batch_op.f('ix_officers_handling_unit_code'))

    op.drop_table('officers')
    with op.batch_alter_table('construction_sites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_construction_sites_street_code'))
        batch_op.drop_index(batch_op.f('ix_construction_sites_district_code'))

    op.drop_table('construction_sites')
    with op.batch_alter_table('cameras', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cameras_street_code'))
        batch_op.drop_index(batch_op.f('ix_cameras_district_code'))

    op.drop_table('cameras')
    with op.batch_alter_table('streets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_streets_handling_unit_code'))
        batch_op.drop_index(batch_op.f('ix_streets_district_code'))

    op.drop_table('streets')
    with op.batch_alter_table('muck_trucks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_muck_trucks_home_district_code'))

    op.drop_table('muck_trucks')
    op.drop_table('handling_units')
    op.drop_table('districts')
    with op.batch_alter_table('case_ledger', schema=None) as batch_op:
        batch_op.drop_index('ix_case_ledger_unit')
        batch_op.drop_index(batch_op.f('ix_case_ledger_plate'))
        batch_op.drop_index(batch_op.f('ix_case_ledger_case_id'))

    op.drop_table('case_ledger')
