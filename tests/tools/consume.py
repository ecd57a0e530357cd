"""Reads docpact's output files the way other tools do, for docpact's tests.

    consume.py junit FILE     parse a JUnit XML file with junitparser; print its suites,
                              cases and results as JSON
    consume.py schema SCHEMA FILE
                              validate a JSON file against a JSON Schema (Draft 2020-12)
                              with jsonschema; print "valid" or the first error, exit 1
"""
import json
import sys


def junit(path):
    from junitparser import JUnitXml, TestSuite
    xml = JUnitXml.fromfile(path)
    suites = list(xml) if not isinstance(xml, TestSuite) else [xml]
    out = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "suites": []}
    for suite in suites:
        cases = []
        for case in suite:
            results = [{"kind": type(r).__name__, "message": r.message, "text": r.text} for r in case.result]
            cases.append({"name": case.name, "classname": case.classname, "results": results})
        out["suites"].append({"name": suite.name, "tests": suite.tests, "failures": suite.failures,
                              "errors": suite.errors, "skipped": suite.skipped, "cases": cases})
        out["tests"] += suite.tests
        out["failures"] += suite.failures
        out["errors"] += suite.errors
        out["skipped"] += suite.skipped
    print(json.dumps(out))


def schema(schema_path, path):
    import jsonschema
    with open(schema_path) as f:
        schema = json.load(f)
    with open(path) as f:
        doc = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        print("invalid at /%s: %s" % ("/".join(str(p) for p in e.path), e.message))
        sys.exit(1)
    print("valid")


if sys.argv[1] == "junit":
    junit(sys.argv[2])
else:
    schema(sys.argv[2], sys.argv[3])
