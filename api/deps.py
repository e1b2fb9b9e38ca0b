"""FastAPI dependencies: the Temporal client and the store, made once per app."""

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from temporalio.client import Client

from models.settings import Settings


def get_client(request: Request) -> Client:
    return request.app.state.temporal


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


TemporalDep = Annotated[Client, Depends(get_client)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
