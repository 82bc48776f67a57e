"""入力の上限 are bound once per field, however many times a command schema is made (each RPC
call makes one): otherwise every call adds the limits again and each later call is slower."""
from consultation.schemas import ReceiveConsultationSchema


def test_a_schema_made_many_times_keeps_one_limit_per_field():
    def counts(schema):  # numbers, not the lists: a leaked list is shared by every schema
        return {name: len(schema.fields[name].validators)
                for name in ("persons", "issue_categories", "summary", "received_at")} | {
            "issue_category": len(schema.fields["issue_categories"].inner.validators)}
    first = counts(ReceiveConsultationSchema())
    for _ in range(50):
        ReceiveConsultationSchema()
    assert counts(ReceiveConsultationSchema()) == first
