"""Engine: parameter validation, shapes, reproducibility, imports, presets, doctests."""

import doctest
import inspect
import json
import subprocess
import sys

import numpy as np
import pytest

import bondlab
from bondlab import (ChangeDetection, ConsistentPartner, Continuous, CyclePartner,
                     Extinction, FixedInterval, FixedRatio, IntermittentPartner,
                     OpponentProcess, RandomRatio, RescorlaWagner, RespondingAgent,
                     Scenario, TemporalDifference, VariableInterval, VariableRatio)
from bondlab import presets

MODELS = [Continuous, FixedRatio, VariableRatio, RandomRatio, FixedInterval,
          VariableInterval, Extinction, ConsistentPartner, IntermittentPartner,
          CyclePartner, RescorlaWagner, TemporalDifference, ChangeDetection,
          OpponentProcess, RespondingAgent, Scenario]


def test_import_loads_no_gui_or_notebook_modules():
    code = ("import sys, bondlab, bondlab.validate, bondlab.__main__; "
            "print([m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_doctests():
    import bondlab._params, bondlab.affect, bondlab.agent, bondlab.learners
    import bondlab.partners, bondlab.presets, bondlab.scenario, bondlab.schedules
    import bondlab.validate
    mods = [bondlab, bondlab._params, bondlab.affect, bondlab.agent, bondlab.learners,
            bondlab.partners, bondlab.presets, bondlab.scenario, bondlab.schedules,
            bondlab.validate]
    for m in mods:
        res = doctest.testmod(m, extraglobs={"np": np}, optionflags=doctest.ELLIPSIS)
        assert res.failed == 0, m.__name__


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
def test_signature_defaults_match_parameter_table(cls):
    sig = inspect.signature(cls.__init__)
    names = [n for n in sig.parameters if n != "self"]
    assert names == list(cls.parameters)
    for n in names:
        assert sig.parameters[n].default == cls.parameters[n].default, n
    cls().validate()      # defaults are valid


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
def test_every_model_has_citation_equations_and_labels(cls):
    assert cls.citation and cls.label
    assert cls.equations and all(isinstance(e, str) for e in cls.equations)
    for name, p in cls.parameters.items():
        assert p.label, name
    json.dumps(cls.describe())


def _invalid_cases():
    cases = []
    for cls in MODELS:
        for name, p in cls.parameters.items():
            if p.kind is float:
                bad = [float("nan"), float("inf"), True, "0.5", p.low - 1]
                if p.high is not None:
                    bad.append(p.high + 1)
            elif p.kind is int:
                bad = [1.5, True, "3", p.low - 1, float("nan")]
                if p.high is not None:
                    bad.append(p.high + 1)
            elif p.kind is bool:
                bad = [1, "yes"]
            elif p.kind is str:
                bad = ["nonsense", 3]
            elif p.kind == "days":
                bad = [[0], [1.5], "30", [True]]
            else:
                bad = ["a string", 3]
            cases += [(cls, name, b) for b in bad]
    return cases


@pytest.mark.parametrize("cls,name,value", _invalid_cases(),
                         ids=lambda x: getattr(x, "__name__", repr(x)))
def test_invalid_values_are_refused_with_a_clear_message(cls, name, value):
    obj = cls().set_params(**{name: value})
    with pytest.raises(ValueError) as e:
        obj.validate()
    msg = str(e.value)
    assert msg.startswith(f"The '{name}' parameter of {cls.__name__} must be ")
    assert msg.endswith("instead.")


def test_error_text_exactly():
    with pytest.raises(ValueError, match=r"^The 'p' parameter of RandomRatio must be a "
                       r"float in the range \[0, 1\]\. Got 1\.7 instead\.$"):
        RandomRatio(p=1.7).outcomes(3)


def test_unknown_parameter():
    with pytest.raises(ValueError, match="Unknown parameter 'q' for RandomRatio"):
        RandomRatio().set_params(q=1)
    with pytest.raises(TypeError):
        RandomRatio(q=1)


def test_too_large_run_is_refused():
    with pytest.raises(bondlab.RunTooLarge, match="GB"):
        Scenario(people=5_000_000, days_together=3650, days_after=3650).run()


def test_schedule_from_spec():
    s = bondlab.schedule_from_spec
    assert s("crf") == Continuous() and s("EXT") == Extinction()
    assert s("FR3") == FixedRatio(n=3) and s("VR5") == VariableRatio(n=5.0)
    assert s("RR0.25") == RandomRatio(p=0.25) and s("VI30").spec() == "VI30"
    for bad in ("XX", "RR", "CRF2", "RR1.5", "FR0", "", "VR-1"):
        with pytest.raises(ValueError):
            s(bad)


def test_schedules_shapes_and_rates():
    rng = np.random.default_rng(0)
    assert FixedRatio(n=4).outcomes(400, 3, rng).sum(axis=1).tolist() == [100] * 3
    x = VariableRatio(n=4).outcomes(8000, 2, rng)
    assert x.shape == (2, 8000) and abs(x.mean() - 0.25) < 0.02
    assert FixedInterval(t=5).outcomes(50, 1, rng).sum() == 10


def test_partner_events_shapes_and_phase():
    for p in (ConsistentPartner(), IntermittentPartner(), CyclePartner()):
        ev = p.events(days=100, people=7, rng=1)
        assert ev.warmth.shape == ev.cruelty.shape == (7, 100)
        assert (ev.warmth >= 0).all() and (ev.cruelty >= 0).all()
    ph = CyclePartner().events(100, 7, 1).phase
    assert ph.shape == (7, 100) and set(np.unique(ph)) <= {0, 1, 2, 3}
    assert bondlab.PHASE_NAMES[1] == "incident"


def test_alternation_links_warmth_to_cruelty():
    def warm_after_cruel(a):
        ev = IntermittentPartner(alternation=a).events(5000, 4, 0)
        c = ev.cruelty[:, :-1] > 0
        return (ev.warmth[:, 1:][c] > 0).mean(), (ev.warmth > 0).mean()
    hi, pw_hi = warm_after_cruel(1.0)
    lo, pw_lo = warm_after_cruel(0.0)
    assert hi > 0.95 and abs(lo - 0.3) < 0.03
    assert abs(pw_hi - 0.3) < 0.03 and abs(pw_lo - 0.3) < 0.03   # chance of warmth kept


def test_cycle_escalates():
    ev = CyclePartner(jitter=0, escalation=0.2).events(200, 1, 0)
    incidents = ev.cruelty[0][ev.phase[0] == 1]
    assert incidents[-1] > incidents[0] * 2


def test_scenario_reproducible_and_seed_matters():
    a = Scenario(people=60, days_together=40, days_after=30, seed=5).run()
    b = Scenario(people=60, days_together=40, days_after=30, seed=5).run()
    c = Scenario(people=60, days_together=40, days_after=30, seed=6).run()
    for n in bondlab.OUTPUTS:
        assert np.array_equal(a[n], b[n]), n
        assert a[n].shape == (60, 70) and a[n].dtype == bondlab.DTYPE
    assert not np.array_equal(a.attachment, c.attachment)


def test_scenario_does_not_touch_global_random_state():
    np.random.seed(0)
    before = np.random.random()
    np.random.seed(0)
    Scenario(people=20, days_together=10, days_after=10).run()
    assert np.random.random() == before


def test_result_band_and_summary():
    r = Scenario(people=80, days_together=30, days_after=40, seed=1).run()
    med, q25, q75 = r.band("attachment")
    assert med.shape == (70,) and np.all(q25 <= med + 1e-6) and np.all(med <= q75 + 1e-6)
    after = r.band("withdrawal", after_leaving=True)
    whole = r.band("withdrawal")
    assert all(a.shape == (40,) and np.array_equal(a, b[30:]) for a, b in zip(after, whole))
    s = r.summary()
    for k in ("total_warmth", "persistence_days", "peak_withdrawal", "days_to_recover"):
        assert k in s
    d = r.to_dict()
    json.dumps(d, allow_nan=False)
    assert set(d["outputs"]) == set(bondlab.OUTPUTS)
    with pytest.raises(ValueError, match="Unknown output"):
        r.band("nope")
    assert (r.withdrawal[:, :30] == 0).all()


def test_contacts_must_fall_within_days_after():
    with pytest.raises(ValueError, match="'contacts'"):
        Scenario(days_after=10, contacts=[20]).run()


def test_presets_load_and_list():
    names = presets.list_presets()
    assert {"schedules", "partners", "scenarios"} == set(names)
    for n in names["schedules"]:
        presets.load_schedule(n)
    for n in names["partners"]:
        presets.load_partner(n)
    for n in names["scenarios"]:
        s = presets.load_scenario(n, people=5, days_after=70, days_together=5)
        s.run()
    s = presets.load_scenario("intermittent", p_warmth=0.2, **{"learner.hazard": 0.01})
    assert s.partner.p_warmth == 0.2 and s.learner.hazard == 0.01
    with pytest.raises(ValueError, match="Unknown parameter 'zzz'"):
        presets.load_scenario("intermittent", zzz=1)
    with pytest.raises(ValueError, match="Unknown scenario"):
        presets.load_scenario("nope")


def _write(tmp_path, kind, doc):
    d = tmp_path / "presets"
    d.mkdir(exist_ok=True)
    for k in ("schedules", "partners", "scenarios"):
        src = presets.data_dir() / "presets" / f"{k}.json"
        (d / f"{k}.json").write_text(src.read_text())
    (d / f"{kind}.json").write_text(json.dumps(doc) if not isinstance(doc, str) else doc)
    return tmp_path


def test_preset_errors_name_file_and_field(tmp_path, monkeypatch):
    data = presets.data_dir()
    doc = json.loads((data / "presets" / "partners.json").read_text())
    doc["partners"]["intermittent"]["params"]["p_warmth"] = "high"
    monkeypatch.setenv("BONDLAB_DATA", str(_write(tmp_path, "partners", doc)))
    with pytest.raises(ValueError) as e:
        presets.load_partner("intermittent")
    assert str(e.value).endswith("partners.json: partner 'intermittent', field 'p_warmth': "
                                 "must be a float in [0, 1], got 'high'")


def test_preset_error_default_path_and_bad_json(tmp_path, monkeypatch):
    monkeypatch.setenv("BONDLAB_DATA", str(_write(tmp_path, "scenarios", "{not json")))
    with pytest.raises(ValueError, match="scenarios.json: not valid JSON"):
        presets.load_scenario("intermittent")
    monkeypatch.delenv("BONDLAB_DATA")
    assert presets.data_dir().name == "data"


def test_preset_cache_returns_equal_copies_and_sees_a_changed_file(tmp_path, monkeypatch):
    data = presets.data_dir()
    doc = json.loads((data / "presets" / "partners.json").read_text())
    monkeypatch.setenv("BONDLAB_DATA", str(_write(tmp_path, "partners", doc)))
    shown, first = presets._read("partners")
    first["intermittent"]["params"]["p_warmth"] = "mutated"   # a caller changes its copy
    first.clear()
    _, again = presets._read("partners")
    assert again == doc["partners"]                            # the cache is untouched
    assert presets._parse.cache_info().hits >= 1               # ... and was used
    doc["partners"]["intermittent"]["params"]["p_warmth"] = 0.123
    doc["partners"]["extra"] = {"kind": "consistent"}
    (tmp_path / "presets" / "partners.json").write_text(json.dumps(doc))
    assert presets.load_partner("intermittent").p_warmth == 0.123
    assert "extra" in presets.list_presets("partners")
    (tmp_path / "presets" / "partners.json").write_text("{not json")
    with pytest.raises(ValueError, match="partners.json: not valid JSON"):
        presets.load_partner("intermittent")


# --- the fast paths agree with the step-by-step equations ------------------------

@pytest.mark.parametrize("allostasis", [0.0, 0.3])
def test_fast_opponent_process_matches_the_stepper(allostasis):
    from bondlab.affect import _FeltDays
    rng = np.random.default_rng(1)
    P, T = 50, 120
    S = (rng.random((2, T, P)) < 0.3) * rng.random((2, T, P)) * 2
    S = S.astype(bondlab.DTYPE)
    sens = np.exp(0.3 * rng.standard_normal(P)).astype(bondlab.DTYPE)
    op = OpponentProcess(allostasis=allostasis, growth=0.05)
    D = np.empty((T, 2, P), bondlab.DTYPE)
    felt = _FeltDays(op.validate(), P, 2, sens)
    felt.run(S, D)
    scale = felt.scale
    st = op.begin((2, P), 1.0, sens)
    for t in range(T):
        st.step(S[:, t])
        want = st.a - st.b
        want[0] += st.sp[0] + st.sp[1]
        assert np.allclose(D[t] * scale, want, rtol=1e-4, atol=1e-5), t


@pytest.mark.parametrize("observation,prior_a,spread", [("rate", 1.0, 0.3),
                                                        ("bernoulli", 2.0, 0.0)])
def test_fast_change_detection_matches_step(observation, prior_a, spread):
    rng = np.random.default_rng(2)
    P, T, T1 = 40, 150, 90
    x = (rng.random((T, P)) < 0.4).astype(bondlab.DTYPE)
    x[T1:] = 0
    x[T1 + 20] = 1                                  # a contact
    reward = (x * (1 + rng.random((T, P)))).astype(bondlab.DTYPE)
    cue = ((rng.random((T - T1, P)) < 0.2) * 2.0).astype(bondlab.DTYPE)
    sens = np.exp(spread * rng.standard_normal(P)).astype(bondlab.DTYPE)
    cd = ChangeDetection(observation=observation, prior_a=prior_a)
    su, pull = np.empty((T, P), bondlab.DTYPE), np.empty((T, P), bondlab.DTYPE)
    fast = cd.begin(P, sens)
    for t0, t1 in ((0, 50), (50, T1)):             # in chunks, as Scenario goes
        fast.days(x[t0:t1], reward[t0:t1], su[t0:t1], pull[t0:t1])
    for t0, t1 in ((T1, 100), (100, T)):           # (90, 100): no warmth at all
        xs = None if not x[t0:t1].any() else x[t0:t1]
        fast.days(xs, reward[t0:t1], su[t0:t1], pull[t0:t1], cue=cue[t0 - T1:t1 - T1],
                  cue_decay=0.7)
    st = cd.begin(P, sens)
    R = np.zeros(P, bondlab.DTYPE)
    su1, pull1 = np.empty(P, bondlab.DTYPE), np.empty(P, bondlab.DTYPE)
    for t in range(T):
        if t >= T1:
            st.offset = R
            R *= bondlab.DTYPE(0.7)
            R += cue[t - T1]
        st.step(x[t], reward[t], surprise=su1, pull=pull1)
        assert np.allclose(su[t], su1, atol=1e-5) and np.allclose(pull[t], pull1, atol=1e-5)


def test_uniform16_is_the_raw_stream_least_significant_bits_first():
    from bondlab._params import chance16, uniform16
    u = uniform16(np.random.default_rng(7), (3, 5))
    raw = np.random.default_rng(7).bit_generator.random_raw(4).tolist()
    want = [(raw[k // 4] >> (16 * (k % 4))) & 0xFFFF for k in range(15)]
    assert u.dtype == np.uint16 and u.ravel().tolist() == want
    big = uniform16(np.random.default_rng(0), (200_000,))
    assert abs(chance16(big, 0.3).mean() - 0.3) < 0.005
    assert chance16(big, 1.0).all() and not chance16(big, 0.0).any()


@pytest.mark.parametrize("kw", [{}, {"learner": RescorlaWagner(), "support": 0.5,
                                     "contacts": [3, 9]}])
def test_scenario_same_numbers_whatever_the_chunks_of_days_and_groups_of_people(
        monkeypatch, kw):
    import bondlab.scenario as sc
    s = Scenario(people=40, days_together=25, days_after=30, seed=2, **kw)
    whole = s.run()
    monkeypatch.setattr(sc, "CHUNK_VALUES", 40 * 7)     # chunks of 7 days
    monkeypatch.setattr(sc, "CHUNK_MIN_DAYS", 1)
    chunked = s.run()
    monkeypatch.setattr(sc, "GROUP_PEOPLE", 15)         # groups of 15, 15 and 10
    grouped = s.run()
    for n in bondlab.OUTPUTS:
        assert np.allclose(whole[n], chunked[n], rtol=1e-6, atol=1e-6), n
        assert np.allclose(whole[n], grouped[n], rtol=1e-6, atol=1e-6), n


@pytest.mark.parametrize("partner", [ConsistentPartner(), IntermittentPartner()])
def test_partner_days_do_not_depend_on_the_drawing_blocks(monkeypatch, partner):
    import bondlab.partners as pa
    whole = partner.events(60, 30, 4)
    monkeypatch.setattr(pa, "_BLOCK_VALUES", 30 * 7)
    blocks = partner.events(60, 30, 4)
    assert np.array_equal(whole.warmth, blocks.warmth)
    assert np.array_equal(whole.cruelty, blocks.cruelty)


def test_contact_cost_reuses_a_matching_base_run_and_refuses_another():
    scn = Scenario(people=30, days_together=40, days_after=50, seed=3)
    plain = bondlab.contact_cost(scn, after_days=20)
    base = scn.clone(contacts=()).run()
    assert bondlab.contact_cost(scn, after_days=20, base=base) == plain
    with_contacts = scn.clone(contacts=(10, 20))          # base ignores the contacts
    assert bondlab.contact_cost(with_contacts, after_days=20, base=base) == \
        bondlab.contact_cost(with_contacts, after_days=20)
    for wrong in (scn.clone(seed=4).run(), scn.clone(contacts=(5,)).run(),
                  scn.clone(people=31, contacts=()).run()):
        with pytest.raises(ValueError, match="'base' argument of contact_cost"):
            bondlab.contact_cost(scn, after_days=20, base=wrong)
    with pytest.raises(ValueError, match="'base'.*Got a dict"):
        bondlab.contact_cost(scn, after_days=20, base={})


def _agent_reference(agent, schedule, ticks, people, seed, record_from=0):
    """RespondingAgent.run written out step by step (as before it was made faster)."""
    from bondlab._params import make_rng
    from bondlab.agent import CLUE_BINS, Q0, ResponseRecord
    from bondlab.schedules import schedule_from_spec

    def tau_bin(tau, cap):
        return np.minimum(np.where(tau < 20, tau, 20 + (tau - 20) // 2), cap)

    schedule = schedule_from_spec(schedule) if isinstance(schedule, str) else schedule
    v = agent.validate()
    rng = make_rng(seed)
    P, rows = people, np.arange(people)
    Q = [np.full((P, nb, 2), Q0) for nb in CLUE_BINS]
    err = np.ones((3, P))
    n, tau, g = (np.zeros(P, np.int64) for _ in range(3))
    caps = [nb - 1 for nb in CLUE_BINS]
    state = schedule.start(P, rng)
    U = rng.random((ticks, P))
    noise = np.exp(v["timing_noise"] * rng.standard_normal((ticks, P)))
    resp, rfs = [], []
    prev = None
    for t in range(ticks):
        bins = (np.minimum(n, caps[0]),
                tau_bin(np.rint(tau * noise[t]).astype(np.int64), caps[1]),
                np.minimum(g, caps[2]))
        q0 = np.stack([Q[k][rows, bins[k], 0] for k in range(3)])
        q1 = np.stack([Q[k][rows, bins[k], 1] for k in range(3)])
        wts = 1.0 / err ** 2
        wts /= wts.sum(axis=0)
        adv = ((q1 - q0) * wts).sum(axis=0)
        p = 1.0 / (1.0 + np.exp(np.clip(-v["beta"] * adv, -50, 50)))
        act = U[t] < p
        q = np.where(act, q1, q0)
        if prev is not None:
            pbins, pai, pq, pr = prev
            d = pr + v["gamma"] * q - pq
            err += 0.02 * (d * d - err)
            d *= v["alpha"]
            for k in range(3):
                Q[k][rows, pbins[k], pai] += d[k]
        rf = schedule.step(state, act, rng)
        prev = (bins, act.astype(np.int64), q, rf.astype(float) - v["cost"] * act)
        if t >= record_from:
            resp.append(act)
            rfs.append(rf)
        n = np.where(rf, 0, n + act)
        tau = np.where(rf, 0, tau + 1)
        g = np.where(act, 0, g + 1)
    return ResponseRecord(np.array(resp).T, np.array(rfs).T)


@pytest.mark.parametrize("spec,kw", [
    ("VR5", {}), ("FR10", {"record_from": 150}), ("FI20", {"people": 7}),
    ("VI15", {"seed": 5}), ("CRF", {}), ("EXT", {}),
    ("RR0.3", {"agent": RespondingAgent(timing_noise=0.0, beta=5.0, alpha=0.9)}),
])
def test_agent_run_matches_the_step_by_step_reference(spec, kw):
    kw = {"people": 12, "seed": 1, "record_from": 0, **kw}
    agent = kw.pop("agent", RespondingAgent())
    fast = agent.run(spec, ticks=400, **kw)
    ref = _agent_reference(agent, spec, ticks=400, **kw)
    assert fast.responses.shape == (kw["people"], 400 - kw["record_from"])
    assert np.array_equal(fast.responses, ref.responses)
    assert np.array_equal(fast.reinforced, ref.reinforced)


@pytest.mark.parametrize("learner", ["cd", "rw", "td"])
@pytest.mark.parametrize("partner", ["intermittent", "cycle"])
def test_a_run_continued_from_the_day_of_leaving_gives_the_same_numbers(learner, partner,
                                                                        monkeypatch):
    """Scenario.run(start=...) takes the days together from an earlier run: every output
    equals a run from day one, for every way of leaving (people in several groups too)."""
    import bondlab.scenario
    from bondlab import presets

    monkeypatch.setattr(bondlab.scenario, "GROUP_PEOPLE", 16)  # 37 people: three groups
    base = bondlab.Scenario(partner=presets.load_partner(partner), people=37, seed=3,
                            learner=bondlab.learner_from_name(learner), days_together=120,
                            days_after=150)
    no_contact = base.run()
    for after in ({"contacts": (5, 40, 41)}, {"contacts": (30,), "grey_rock": True},
                  {"support": 0.6}, {"reminders": 5.0, "contact_kind": "meeting",
                                     "contacts": (7,)},
                  {"days_after": 400, "contacts": (300,)}):
        scenario = base.clone(**after)
        fresh, continued = scenario.run(), scenario.run(start=no_contact)
        for name in bondlab.OUTPUTS:
            assert np.array_equal(fresh[name], continued[name], equal_nan=True), (after, name)
        # and a continued run can itself be continued from
        again = base.clone(contacts=(60,)).run(start=continued)
        assert np.array_equal(again.attachment, base.clone(contacts=(60,)).run().attachment)


def test_a_run_continues_only_from_the_same_days_together():
    base = Scenario(people=20, seed=1)
    with pytest.raises(ValueError, match="differs only after leaving.*differs in seed"):
        base.run(start=base.clone(seed=2).run())
    with pytest.raises(ValueError, match="differs in .*days_together"):
        base.run(start=base.clone(days_together=100).run())
    with pytest.raises(ValueError, match="'start' argument of Scenario.run must be the result"):
        base.run(start={"attachment": []})


def test_a_continued_run_without_a_seed_keeps_its_start_days_together():
    """seed=None: every run draws afresh, so the days together (events and all) come from
    the start, never half from a new draw."""
    base = Scenario(partner=bondlab.CyclePartner(), people=25, seed=None, days_together=60,
                    days_after=40)
    start = base.run()
    cont = base.clone(contacts=(10,), support=0.5).run(start=start)
    for name in bondlab.OUTPUTS:
        assert np.array_equal(cont[name][:, :60], start[name][:, :60], equal_nan=True), name
    assert np.array_equal(cont.phase, start.phase)
