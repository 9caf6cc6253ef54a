"""Rendering notifications into text for people, in every language of the catalogue."""

from hotline.catalogue.render.context import RenderContext, dtg
from hotline.catalogue.render.layout import Form, render

__all__ = ["Form", "RenderContext", "dtg", "render"]
