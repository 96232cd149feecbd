from bot.text import fold, has_diacritics, mentions, normalise, strip_diacritics


def test_accents_and_d_are_removed_keeping_length():
    assert strip_diacritics("Học phí nghề Hàn điện") == "Hoc phi nghe Han dien"
    assert len(strip_diacritics("Đăng ký")) == len("Đăng ký")
    assert fold("  ĐĂNG   Ký ") == "dang ky"


def test_accented_unaccented_and_shorthand_sentences_normalise_alike():
    proper = normalise("Học phí bao nhiêu, không được miễn à?")
    assert normalise("hoc phi bao nhieu, khong duoc mien a?") == proper
    assert normalise("hp bn, ko dc mien a") == proper
    assert normalise("hp bn, k đc mien a") == proper


def test_shorthand_only_expands_tokens_typed_without_diacritics():
    # "Hồng Thu" is a commune: it must not become "không thu".
    assert normalise("xã Hồng Thu") == "xa hong thu"
    assert normalise("sđt tuyển sinh") == "so dien thoai tuyen sinh"
    assert normalise("e mun dk hoc tc") == "em muon dang ky hoc trung cap"


def test_mentions_compares_whole_words():
    assert mentions("cho e hỏi hồ sơ nhập học", ["hồ sơ"])
    assert mentions("ho so gom nhung gi", ["hồ sơ"])
    assert not mentions("hoso", ["hồ sơ"])
    assert has_diacritics("nghề") and not has_diacritics("nghe")
