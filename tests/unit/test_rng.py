"""Named streams: each is the Philox generator keyed by its name's hash, drawn the same
however it is built."""

from __future__ import annotations

import numpy as np
import pytest

from drillsim.rng import _COUNTER_0, Streams, _Key, _key_of, stream_key


@pytest.mark.parametrize(("seed", "spawn_key", "name"), [
    (0, (), "background/when"), (20260312, (), "incident/F1"), (3, (7,), "turnout/BX-E1"),
    (2**40 + 5, (1, 2), "flood/homes/P3"), (1, (), ""),
])
def test_stream_is_philox_keyed_by_the_name_hash(seed, spawn_key, name):
    """The stream draws what ``Philox(key=stream_key(...))`` draws, every method alike."""
    ref = np.random.Generator(np.random.Philox(key=stream_key(seed, spawn_key, name)))
    gen = Streams(seed, spawn_key)[name]
    state, want = gen.bit_generator.state, ref.bit_generator.state  # key words, counter 0
    assert repr(state) == repr(want)
    assert state["state"]["counter"].tolist() == [0, 0, 0, 0]
    for draw in (lambda g: g.random(1000), lambda g: g.standard_normal(999),
                 lambda g: g.integers(0, 298, 500), lambda g: g.exponential(2.5, 333),
                 lambda g: g.uniform(-1, 1, 7)):
        np.testing.assert_array_equal(draw(gen), draw(ref))


def test_key_words_are_the_philox_key_halves():
    key = (0x0123456789ABCDEF << 64) | 0xFEDCBA9876543210
    words = _Key(key).generate_state(2, np.uint64)
    assert words.tolist() == [0xFEDCBA9876543210, 0x0123456789ABCDEF]
    assert np.random.Philox(_Key(key)).state["state"]["key"].tolist() == words.tolist()
    with pytest.raises(ValueError, match="2 uint64 words"):
        _Key(key).generate_state(4, np.uint32)


def test_streams_are_cached_and_distinct():
    streams = Streams(5)
    assert streams["a"] is streams["a"]
    assert streams["a"].random() != Streams(5)["b"].random()
    assert Streams(5)["a"].random() == Streams(5)["a"].random()


def test_two_runs_with_one_seed_share_no_state():
    """The key of a name is made once per process (:func:`drillsim.rng._key_of`), but each
    run's stream starts at counter 0: drawing in one run never moves another's draws."""
    first, second = Streams(9, (2,)), Streams(9, (2,))
    ahead = first["incident/F1"].random(50)
    assert first["incident/F1"] is not second["incident/F1"]
    np.testing.assert_array_equal(second["incident/F1"].random(50), ahead)
    ref = np.random.Generator(np.random.Philox(key=stream_key(9, (2,), "incident/F1")))
    np.testing.assert_array_equal(Streams(9, (2,))["incident/F1"].random(60), ref.random(60))
    with pytest.raises(ValueError, match="read-only"):  # the shared key words stay as made
        _key_of(9, (2,), "incident/F1")._words[0] = 1
    # the shared start counter stays at zero: each Philox counts in its own state
    assert first["incident/F1"].bit_generator.state["state"]["counter"].tolist() != [0] * 4
    assert _COUNTER_0.tolist() == [0, 0, 0, 0] and not _COUNTER_0.flags.writeable
