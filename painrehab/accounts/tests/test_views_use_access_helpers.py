"""Views read patient data only through the access helpers and selectors.

A view that queries a patient-data model itself (`Episode.objects…`,
`get_object_or_404(Goal, …)`) can forget the unit, the 404 for another
unit's id or the audit row. The fetch-for-this-user helpers
(`patients/access.py`, `pathway/access.py`, `documents/access.py`,
`outbox/access.py`, `questionnaires/access.py`, built on
`accounts.access.get_in_unit`) and the unit-filtered selectors do all three,
so this walk over every view module fails on a query written in a view.

The patient-data models are found, not listed: every model with a foreign
key to Patient, directly or through a model that has one (Episode, the plan,
its goals …).
"""

import ast
import importlib
from pathlib import Path
from types import ModuleType

from django.apps import apps
from django.db import models

from painrehab.patients.models import Patient

PACKAGE = Path(__file__).resolve().parents[2]
FETCHES = {"get_object_or_404", "get_list_or_404"}


def patient_data_models() -> set[type[models.Model]]:
    """Patient and every model whose foreign keys lead to it."""
    found: set[type[models.Model]] = {Patient}
    grown = True
    while grown:
        grown = False
        for model in apps.get_models():
            if model in found or not model.__module__.startswith("painrehab."):
                continue
            if any(
                field.concrete
                and (field.many_to_one or field.one_to_one)
                and field.related_model in found
                for field in model._meta.get_fields()
            ):
                found.add(model)
                grown = True
    return found


def view_modules() -> list[Path]:
    """views.py, views/*.py, *_views.py and the JSON API's modules."""
    paths = [
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and (
            path.name == "views.py"
            or path.name.endswith("_views.py")
            or (path.parent.name == "views" and path.name != "__init__.py")
            or path.parent == PACKAGE / "interop" / "api"
        )
    ]
    return sorted(paths)


def _value_of(node: ast.expr, module: ModuleType) -> object:
    """What a name or a dotted name stands for in the module (None if unknown)."""
    if isinstance(node, ast.Name):
        return vars(module).get(node.id)
    if isinstance(node, ast.Attribute):
        return getattr(_value_of(node.value, module), node.attr, None)
    return None


def _model_queried(node: ast.expr, module: ModuleType) -> object:
    """The model at the root of `Model.objects.filter(…)…` or `Model`."""
    while isinstance(node, ast.Attribute | ast.Call):
        value = _value_of(node, module)
        if isinstance(value, type):
            return value
        node = node.value if isinstance(node, ast.Attribute) else node.func
    return _value_of(node, module)


def _patient_model(
    value: object, patient_models: set[type[models.Model]]
) -> type[models.Model] | None:
    """`value` if it is one of the patient-data models."""
    if isinstance(value, type) and value in patient_models:
        return value
    return None


def direct_queries(source: str, module: ModuleType) -> list[str]:
    """Where the module queries a patient-data model itself."""
    patient_models = patient_data_models()
    found = []
    for node in ast.walk(ast.parse(source)):
        model = None
        if not isinstance(node, ast.expr):
            continue
        if isinstance(node, ast.Attribute):
            owner = _patient_model(_value_of(node.value, module), patient_models)
            managers = {"_default_manager", "_base_manager"}
            if owner is not None:
                managers |= {manager.name for manager in owner._meta.managers}
            if owner is not None and node.attr in managers:
                model = owner
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in FETCHES
            and node.args
        ):
            model = _patient_model(_model_queried(node.args[0], module), patient_models)
        if model is not None:
            found.append(f"{node.lineno}: {model.__name__}")
    return sorted(set(found), key=lambda line: int(line.split(":")[0]))


def _module_of(path: Path) -> ModuleType:
    name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return importlib.import_module(name)


def test_the_patient_data_models_are_found_through_their_keys():
    from painrehab.accounts.models import CareUnit
    from painrehab.pathway.models import Episode, Goal
    from painrehab.programmes.models import Room

    found = patient_data_models()
    assert {Patient, Episode, Goal} <= found  # Goal → RehabPlan → Episode → Patient
    assert CareUnit not in found
    assert Room not in found


def test_the_walk_finds_each_shape_of_a_query_in_a_view():
    from painrehab.pathway.models import Episode, Goal, RehabPlan
    from painrehab.programmes.models import Room
    from painrehab.steps.plan.selectors import plan_of

    source = (
        "def view(request, pk):\n"
        "    a = Episode.objects.filter(pk=pk)\n"
        "    b = get_object_or_404(RehabPlan, episode=a)\n"
        "    c = get_object_or_404(Goal.objects.select_related('plan'), pk=pk)\n"
        "    d = Episode._default_manager.all()\n"
        "    e = plan_of(episode=a)\n"
        "    f = get_object_or_404(Room, pk=pk)\n"
    )
    module = ModuleType("view_under_test")
    vars(module).update(
        Episode=Episode, Goal=Goal, RehabPlan=RehabPlan, Room=Room, plan_of=plan_of
    )
    assert direct_queries(source, module) == [
        "2: Episode",
        "3: RehabPlan",
        "4: Goal",
        "5: Episode",
    ]


def test_views_query_patient_data_only_through_the_access_helpers():
    found = {
        str(path.relative_to(PACKAGE)): queries
        for path in view_modules()
        if (queries := direct_queries(path.read_text(), _module_of(path)))
    }
    assert found == {}


def test_the_walk_reads_the_views_it_should():
    names = {str(path.relative_to(PACKAGE)) for path in view_modules()}
    assert {
        "steps/plan/views.py",
        "steps/preparation/views.py",
        "steps/referral/views.py",
        "audit_review/views.py",
        "interop/fhir_views.py",
        "interop/api/views.py",
        "programmes/views/calendar.py",
        "questionnaires/patient_views.py",
    } <= names
