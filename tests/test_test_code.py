"""Findings in test code (test files, tests/ folders, test functions and classes) are low
confidence: tests set up insecure things on purpose. They show with --min-confidence low."""
from conftest import review_text
from secreview.findings import Level

CODE = "import ssl\ndef connect():\n    return ssl._create_unverified_context()\n"


def confidences(path: str) -> list[Level]:
    return [f.confidence for f in review_text(CODE, path=path).findings if f.rule_id == "unverified-ssl-context"]


def test_the_same_code_is_high_confidence_in_application_code_and_low_in_tests():
    assert confidences("app/client.py") == [Level.HIGH]
    assert confidences("tests/test_client.py") == [Level.LOW]
    assert confidences("app/tests/helpers.py") == [Level.LOW]


def test_a_test_function_in_an_application_module_is_test_code():
    code = CODE.replace("def connect", "def test_connect")
    found = [f.confidence for f in review_text(code, path="app/client.py").findings if f.rule_id == "unverified-ssl-context"]
    assert found == [Level.LOW]


def test_a_module_that_makes_test_data_is_test_code():
    # (ckan's lib/create_test_data.py seeds a demo database with users and their passwords)
    assert confidences("app/lib/create_test_data.py") == [Level.LOW]
    assert confidences("app/testdata.py") == [Level.LOW]
    assert confidences("app/latest_data.py") == [Level.HIGH]  # "test" inside a word
    assert confidences("app/data.py") == [Level.HIGH]


def test_a_module_of_test_doubles_is_test_code():
    assert confidences("app/contacts/mocks.py") == [Level.LOW]
    assert confidences("app/fakes.py") == [Level.LOW]
    assert confidences("app/mockserver.py") == [Level.HIGH]  # (a server, maybe the product's)


def test_a_module_using_factory_boy_is_test_code():
    # (factory_boy's model factories fill a test database: their users' passwords are fixtures)
    factories = "import factory\n" + CODE
    found = [f.confidence for f in review_text(factories, path="app/factories.py").findings if f.rule_id == "unverified-ssl-context"]
    assert found == [Level.LOW]
    assert confidences("app/factories.py") == [Level.HIGH]  # the name alone: an application's factories
    own = "from shop.factory import build\n" + CODE  # (the project's own module named factory)
    found = [f.confidence for f in review_text(own, path="app/views.py").findings if f.rule_id == "unverified-ssl-context"]
    assert found == [Level.HIGH]


def test_a_folder_of_test_support_code_is_test_code():
    # (a reusable app's test project and its settings; helpers shared by the tests)
    assert confidences("shop/testutils/settings.py") == [Level.LOW]
    assert confidences("shop/test_helpers/client.py") == [Level.LOW]
    assert confidences("shop/core/testproject/views.py") == [Level.LOW]
    assert confidences("shop/testimonials/client.py") == [Level.HIGH]  # "test" beginning another word
    assert confidences("shop/utils/client.py") == [Level.HIGH]
    assert confidences("shop/testutils_client.py") == [Level.HIGH]  # (a module, not a folder, of that name)


def test_a_test_case_base_class_is_test_code():
    code = "import ssl\nclass UserTestCase:\n    def connect(self):\n        return ssl._create_unverified_context()\n"
    found = [f.confidence for f in review_text(code, path="app/users/base.py").findings if f.rule_id == "unverified-ssl-context"]
    assert found == [Level.LOW]
    other = code.replace("UserTestCase", "UserCaseFile")
    found = [f.confidence for f in review_text(other, path="app/users/base.py").findings if f.rule_id == "unverified-ssl-context"]
    assert found == [Level.HIGH]
