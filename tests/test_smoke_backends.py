from incubator.services import registry
from tests.factories import credit_code


def test_register_and_find_on_both_backends(db):
    code = credit_code(1)
    org = registry.register(
        db, {"name": "社区服务中心", "credit_code": code, "legal_form": "social_group"}
    )
    assert registry.find(db, code).id == org.id
