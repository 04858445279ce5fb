"""Repeated work of nbgrader that the autograder does once, without changing any result.

nbgrader checks the nbgrader metadata of every cell of every notebook, twice per submission, with
``jsonschema.validate(metadata, schema)``, which first validates the schema itself each time: most
of the cost. :func:`install` makes nbgrader's metadata validator use one validator per schema,
built once, raising the same errors (``jsonschema.validate`` picks ``best_match`` of the errors;
so does this).
"""

from __future__ import annotations

import json

from jsonschema import exceptions, validators

from autograder.nbgrader_compat import use_metadata_validator

_validators: dict[str, object] = {}


def validate(instance, schema) -> None:
    """``jsonschema.validate`` for a schema that is known to be valid (nbgrader's own)."""
    key = json.dumps(schema, sort_keys=True)
    validator = _validators.get(key)
    if validator is None:
        cls = validators.validator_for(schema)
        cls.check_schema(schema)
        validator = _validators[key] = cls(schema)
    error = exceptions.best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


def install() -> None:
    """Make nbgrader's metadata validation use :func:`validate` (in this process)."""
    use_metadata_validator(validate)
