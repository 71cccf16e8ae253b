"""Duplicate claims: GB 32100 check digits, normalised names, the office settles one owner."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.investment import services
from duban.investment.choices import ClaimStatus, CountMode
from duban.investment.factories import credit_code, make_lead
from duban.investment.identity import ALPHABET, check_character, normalise_company_name, validate_credit_code
from duban.investment.models import DuplicateClaim

first17 = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


@given(first17)
def test_a_code_with_its_check_character_is_valid(body):
    validate_credit_code(body + check_character(body))


@given(first17, st.sampled_from(ALPHABET))
def test_any_other_check_character_is_refused(body, wrong):
    if wrong == check_character(body):
        return
    with pytest.raises(ValidationError, match="校验位"):
        validate_credit_code(body + wrong)


@given(first17, st.integers(min_value=0, max_value=16), st.sampled_from(ALPHABET))
def test_changing_one_character_breaks_the_check(body, position, new):
    """The weights are non-zero mod 31 (a prime): any single substitution changes the check."""
    if body[position] == new:
        return
    changed = body[:position] + new + body[position + 1 :]
    code = body + check_character(body)
    with pytest.raises(ValidationError):
        validate_credit_code(changed + code[17])


def test_known_real_world_codes():
    """Published codes validate; lower case and full-width input is accepted as the same code."""
    for code in ("91350100M000100Y43", "91110000600037341L", "９１１１００００６０００３７３４１ｌ"):
        validate_credit_code(code)
    for bad in ("91350100M000100Y44", "91110000600037341I", "9111000060003734"):
        with pytest.raises(ValidationError):
            validate_credit_code(bad)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("禾川精密机械有限公司", "禾川精密机械有限责任公司"),
        ("比亚迪（长沙）汽车有限公司", "比亚迪(长沙)汽车有限公司"),
        ("宁德时代新能源科技股份有限公司", "宁德时代新能源科技股份有限公司苏州分公司"),
        ("Ｈｅｃｈｕａｎ Tech 有限公司", "hechuan tech公司"),
        (" 山东鲁华 集团 ", "山东鲁华集团公司"),
    ],
)
def test_near_identical_names_normalise_alike(a, b):
    assert normalise_company_name(a) == normalise_company_name(b)


def test_different_investors_stay_different():
    assert normalise_company_name("禾川精密机械有限公司") != normalise_company_name("禾川重型机械有限公司")


@pytest.mark.django_db
def test_two_units_claiming_the_same_investor_open_one_audited_claim(county):
    """Given a lead of one department, when another department registers the same company
    (有限责任公司, full-width brackets), one claim is opened for the office and audited."""
    first = make_lead(county, company_name="禾川（苏州）精密机械有限公司", source_unit=county.departments[0])
    second = make_lead(
        county, company_name="禾川(苏州)精密机械有限责任公司", source_unit=county.departments[1]
    )
    claim = DuplicateClaim.objects.get()
    assert (claim.first, claim.second, claim.status) == (first, second, ClaimStatus.OPEN)
    assert claim.score == 100
    assert AuditEntry.objects.filter(event=AuditEvent.DUPLICATE_FLAGGED, target_id=str(claim.pk)).exists()


@pytest.mark.django_db
def test_the_same_credit_code_is_a_claim_whatever_the_name(county):
    code = credit_code()
    make_lead(county, company_name="甲公司", credit_code=code, source_unit=county.departments[0])
    make_lead(county, company_name="完全不同的名字", credit_code=code, source_unit=county.departments[1])
    assert DuplicateClaim.objects.get().basis == "统一社会信用代码相同"


@pytest.mark.django_db
def test_similar_names_with_two_different_valid_codes_are_two_investors(county):
    make_lead(
        county,
        company_name="禾川精密机械有限公司",
        credit_code=credit_code(),
        source_unit=county.departments[0],
    )
    make_lead(
        county,
        company_name="禾川精密机械有限公司",
        credit_code=credit_code(),
        source_unit=county.departments[1],
    )
    assert not DuplicateClaim.objects.exists()


@pytest.mark.django_db
def test_an_invalid_code_is_refused_before_any_claim(county):
    make_lead(county, company_name="禾川精密机械有限公司", source_unit=county.departments[0])
    with pytest.raises(ValidationError):
        make_lead(
            county,
            company_name="禾川精密机械有限公司",
            credit_code="91350100M000100Y44",
            source_unit=county.departments[1],
        )
    assert not DuplicateClaim.objects.exists()


@pytest.mark.django_db
def test_the_office_settles_a_claim_with_shared_credit(county):
    first = make_lead(county, company_name="禾川精密机械有限公司", source_unit=county.departments[0])
    second = make_lead(county, company_name="禾川精密机械有限责任公司", source_unit=county.departments[1])
    claim = DuplicateClaim.objects.get()
    with pytest.raises(PermissionDenied):
        services.settle_duplicate(claim, actor=county.liaison(county.departments[0]), owner=first)
    services.settle_duplicate(
        claim, actor=county.office, owner=first, shared_credit=True, note="商务局先接洽"
    )
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.count_mode, second.count_mode) == (CountMode.FULL, CountMode.CREDIT)
    entry = AuditEntry.objects.get(event=AuditEvent.DUPLICATE_SETTLED, target_id=str(claim.pk))
    assert entry.reason == "商务局先接洽" and entry.changes["shared_credit"] == [None, True]
    with pytest.raises(ValidationError, match="已处理"):
        services.settle_duplicate(claim, actor=county.office, owner=second)


@pytest.mark.django_db
def test_dismissing_needs_a_note_and_keeps_both_counting(county):
    make_lead(county, company_name="禾川精密机械有限公司", source_unit=county.departments[0])
    make_lead(county, company_name="禾川精密机械有限责任公司", source_unit=county.departments[1])
    claim = DuplicateClaim.objects.get()
    with pytest.raises(ValidationError):
        services.dismiss_duplicate(claim, actor=county.office, note=" ")
    services.dismiss_duplicate(claim, actor=county.office, note="两家不同企业")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DISMISSED


@pytest.mark.django_db
def test_names_that_differ_only_in_their_numbers_are_different_investors(county):
    make_lead(county, company_name="测试投资10号科技有限公司", source_unit=county.departments[0])
    make_lead(county, company_name="测试投资100号科技有限公司", source_unit=county.departments[1])
    make_lead(county, company_name="测试投资100号科技有限公司", source_unit=county.departments[0])
    assert DuplicateClaim.objects.count() == 1
