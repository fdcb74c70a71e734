"""assert-used: which asserts count as security checks (medium) and which stay low."""
from conftest import FIXTURES, review_text
from secreview.findings import Level


def test_ownership_and_role_asserts_are_medium_and_shape_asserts_low():
    fixture = FIXTURES / "rules" / "hardening_assert_access.py"
    result = review_text(fixture.read_text(), path=fixture.name)
    medium = {f.line for f in result.findings if f.rule_id == "assert-used" and f.confidence == Level.MEDIUM}
    low = {f.line for f in result.findings if f.rule_id == "assert-used" and f.confidence == Level.LOW}
    assert medium == {14, 23, 24, 31, 33, 39, 48}
    assert low == {16, 32, 34, 40, 45, 47}  # (45, 47: only the types are checked)


def test_access_words_count_where_they_are_tested_and_a_credential_being_there_is_low():
    fixture = FIXTURES / "rules" / "hardening_assert_holders.py"
    result = review_text(fixture.read_text(), path=fixture.name)
    confidence = {f.line: f.confidence for f in result.findings if f.rule_id == "assert-used"}
    assert confidence == {11: Level.LOW, 12: Level.LOW, 13: Level.LOW, 19: Level.LOW,
                          24: Level.MEDIUM, 25: Level.MEDIUM, 26: Level.MEDIUM}


def test_flags_of_the_programs_own_configuration_are_low_and_a_principals_stay_medium():
    fixture = FIXTURES / "rules" / "hardening_assert_configuration.py"
    result = review_text(fixture.read_text(), path=fixture.name)
    confidence = {f.line: f.confidence for f in result.findings if f.rule_id == "assert-used"}
    low, medium = Level.LOW, Level.MEDIUM
    assert confidence == {
        16: low, 17: low,  # set in __init__ from the node's configuration only
        18: medium,  # set from the current user's flag
        19: medium,  # set to a constant: no configuration read
        20: medium,  # set nowhere in this class (a base class, a property): unknown
        25: low, 26: low,  # read from a configuration object
        30: medium, 31: medium, 32: medium,  # a user's, a comparison with a user, a session's
    }


def test_asserts_run_when_the_module_is_imported_are_low_and_the_same_in_a_function_medium():
    fixture = FIXTURES / "rules" / "hardening_assert_import_time.py"
    result = review_text(fixture.read_text(), path=fixture.name)
    confidence = {f.line: f.confidence for f in result.findings if f.rule_id == "assert-used"}
    low, medium = Level.LOW, Level.MEDIUM
    assert confidence == {
        8: low, 9: low, 10: low,  # module level: re-exported names, a setting
        14: low,  # in a class body
        17: medium,  # in a method: the current user's flag
        22: medium, 23: medium,  # in a function: a permission test, and the name tested at each call
    }
