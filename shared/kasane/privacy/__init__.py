"""個人情報の暗号化 — every event's personal part sealed per person (data subject) at rest, under
data keys kept in the instance's own key store and wrapped by its master key; destroying a
subject's keys erases their details everywhere while the hash chain, which covers the
ciphertext, still verifies (README: 個人情報の暗号化と廃棄).
"""
