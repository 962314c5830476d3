#!/usr/bin/python3
"""validate_jsonl.py SCHEMA FILE...: every line of each FILE is a JSON
object valid against SCHEMA (JSON Schema 2020-12, Debian's
python3-jsonschema). Prints each invalid line as FILE:LINE: reason and
exits 1 if any; 0 with a count otherwise."""
import json
import sys

import jsonschema


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    records = bad = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                records += 1
                try:
                    errors = list(validator.iter_errors(json.loads(line)))
                except json.JSONDecodeError as e:
                    errors = [e]
                for e in errors[:1]:
                    bad += 1
                    print(f"{path}:{n}: {getattr(e, 'message', e)}")
    print(f"{records} records, {bad} invalid")
    return 1 if bad or not records else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
