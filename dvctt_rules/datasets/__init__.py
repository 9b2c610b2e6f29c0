"""Shipped datasets, listed and loaded by name (``binh-duong-2023``)."""

from ._registry import Dataset, UnitFigures, list_datasets, load_dataset

__all__ = ["Dataset", "UnitFigures", "list_datasets", "load_dataset"]
