"""Dữ liệu: upload a plan or statistics workbook, see its check before anything is stored, confirm, history."""

import hashlib
import json

import pandas as pd
import streamlit as st

from cchc import formatting as fmt
from cchc import rights
from cchc.fields import KIND_LABELS
from cchc.findings import Findings
from cchc.ingest import conflict_messages, outcome_text, preview_import, store_checked
from cchc.read.targets import METRICS
from cchc.sample import PLAN_TEMPLATE_FILE, STATS_TEMPLATE_FILE
from cchc.sample.index766 import TEMPLATE_FILE as INDEX766_TEMPLATE_FILE
from cchc.sample.procedures import TEMPLATE_FILE as PROCEDURES_TEMPLATE_FILE
from cchc.sample.progress import TEMPLATE_FILE as PROGRESS_TEMPLATE_FILE
from cchc.score import rules as rules_module
from cchc.score import scoring
from cchc.show import views
from cchc.store.database import PeriodConflict, StorageError
from ui import common
from ui.safe import md

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ORIGINAL_NOTE = ("Tệp gốc đúng như khi tải lên, có thể chứa công thức hoặc liên kết: hãy mở bằng Excel ở Chế độ xem "
                 "được bảo vệ (Protected View).")


PREVIEW_WORDS = {  # kind: (what a row is, first column, second column, how the second is shown)
    "stats": ("đơn vị-tháng", "Đơn vị", "Tháng", fmt.period_label),
    "progress": ("báo cáo tiêu chí-kỳ", "Tiêu chí", "Kỳ", fmt.period_label),
    "procedures": ("đơn vị-năm", "Đơn vị", "Năm", str),
    "index766": ("đơn vị-kỳ", "Đơn vị", "Kỳ", fmt.period_label),
}


@st.cache_data(show_spinner=False, max_entries=8)
def _check(sha256: str, name: str, data_version: int, _data: bytes, period: tuple[int, int] | None = None,
           mapping_json: str = ""):
    store = common.get_store()
    forced = json.loads(mapping_json) if mapping_json else None
    from cchc.sandbox import check_file_bounded, limits_from_settings  # a child process with CPU/memory/time limits

    from cchc.ingest import apply_index766_maxima

    result = check_file_bounded(_data, name, plan=store.current_plan(), period=period,
                                mappings=store.saved_mappings(), forced_mapping=forced,
                                limits=limits_from_settings(common.setting),
                                waiting=lambda: st.spinner("Đang chờ lượt kiểm tra…"))
    # the child checks a QĐ 766 file against the default maxima; the stored ones may differ
    return apply_index766_maxima(result, store.index766_maxima())


def _guarded(action):
    """Run a write (or the download of an original) checked in cchc: a refusal (rights) or a failed write (storage)
    is shown as its Vietnamese message, never a traceback; None then."""
    try:
        return action()
    except (rights.NotAllowed, StorageError) as refused:
        st.error(md(refused.message), icon=":material/block:")  # messages name accounts and agencies
    except PeriodConflict as conflict:  # stored by someone else since the preview
        st.error(md(" ".join(conflict_messages(conflict.conflicts)) + " Không có gì được lưu."),
                 icon=":material/block:")
    return None


def _mapping_editor(result, sha: str) -> None:
    """The header as read, each column with the field it is read as; the user changes a field, sees the preview
    change, and saves the mapping under a name for the next month's file of the same layout."""
    stats = result.stats
    key = f"mapping_{sha}"
    chosen = st.session_state.get(key)
    needed = not result.ok and any(e.message.startswith("Thiếu cột") for e in result.findings.errors)
    with st.expander("Cách đọc các cột" + (" (cần chọn)" if needed else ""), expanded=needed or bool(chosen),
                     icon=":material/table_view:"):
        st.caption("Mỗi cột của bảng (sheet đầu tiên có bảng) và loại số liệu phần mềm đọc từ cột đó. Nếu phần mềm "
                   "đọc sai hoặc chưa nhận ra một cột, hãy chọn lại ở cột “Đọc là”, bấm “Xem trước”, rồi lưu cách "
                   "đọc để tệp tháng sau cùng mẫu được đọc đúng tự động.")
        frame = views.mapping_frame(stats.columns)
        edited = st.data_editor(frame, key=f"mapping_editor_{sha}", hide_index=True, width="stretch",
                                disabled=["Cột", "Tiêu đề trong tệp"],
                                column_config={"Đọc là": st.column_config.SelectboxColumn(
                                    "Đọc là", options=list(views.mapping_choices().values()), required=True)})
        left, right = st.columns(2, vertical_alignment="bottom")
        if left.button("Xem trước với cách đọc này", key=f"mapping_preview_{sha}"):
            st.session_state[key] = views.mapping_from_editor(edited)
            st.rerun()
        if chosen:
            name = right.text_input("Tên cách đọc (để dùng lại)", key=f"mapping_name_{sha}",
                                    placeholder="Ví dụ: Cổng DVC tỉnh – theo đơn vị")
            if st.button("Lưu cách đọc", key=f"mapping_save_{sha}", disabled=not common.can("save_mapping")):
                if not (name or "").strip():
                    st.error("Hãy đặt tên cho cách đọc.", icon=":material/error:")
                elif saved := _guarded(lambda: rights.save_mapping(common.get_store(), common.current_account(),
                                                                   name, stats.signature, chosen,
                                                                   user=common.current_user())):
                    st.cache_data.clear()
                    st.session_state["history_follow"] = saved
                    st.session_state.pop(key, None)
                    st.session_state["last_import"] = (f"Đã lưu cách đọc cột “{name.strip()}”: tệp cùng mẫu sẽ "
                                                       "được đọc như vậy.")
                    st.rerun()


def findings_table(findings) -> pd.DataFrame:
    """Errors then warnings, each with its place in words (sheet, row with its unit and month, column)."""
    rows = [{"Mức độ": "Lỗi", "Vị trí": _capital(f.place()), "Nội dung": f.message} for f in findings.errors]
    rows += [{"Mức độ": "Cảnh báo", "Vị trí": _capital(f.place()), "Nội dung": f.message} for f in findings.warnings]
    return pd.DataFrame(rows, columns=["Mức độ", "Vị trí", "Nội dung"])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def show_findings(table: pd.DataFrame) -> None:
    """The findings whole: st.table wraps long messages where a dataframe cell would cut them with "…". Its cells
    are markdown, and places and messages quote the file: escaped."""
    shown = table.map(md)
    st.table(shown, hide_index=True, height="content" if len(table) <= 8 else 480)


store = common.get_store()
st.title("Dữ liệu")
st.caption("Tải lên kế hoạch nâng cao Chỉ số CCHC, số liệu thống kê TTHC hằng tháng (mẫu của phần mềm, hoặc Biểu 06 "
           "xuất từ hệ thống Một cửa điện tử), báo cáo tiến độ các tiêu chí, hoặc số liệu thủ tục hành chính. Phần mềm "
           "tự nhận ra loại tệp; tệp được kiểm tra trước, chỉ khi bạn xác nhận mới được lưu.")

st.session_state.setdefault("upload_round", 0)
upload = None
if common.can("upload"):
    upload = st.file_uploader("Chọn tệp Excel (.xlsx, .xls, .ods)", type=["xlsx", "xlsm", "xls", "ods"],
                              key=f"upload_{st.session_state['upload_round']}")
else:
    common.no_right("tải dữ liệu lên")
if st.session_state.get("last_import"):
    # the message quotes a file, mapping or unit name: plain text, escaped here (its writers do not escape it)
    st.success(md(st.session_state.pop("last_import")), icon=":material/check_circle:")

if upload is not None:
    data = upload.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    period_key = f"period_{sha}"
    chosen_mapping = st.session_state.get(f"mapping_{sha}")
    mapping_json = json.dumps({"name": "cách đọc đang chọn", "signature": "", "columns": chosen_mapping},
                              ensure_ascii=False, sort_keys=True) if chosen_mapping else ""
    with st.spinner("Đang kiểm tra tệp…"):
        result = _check(sha, upload.name, common.version(store), data, st.session_state.get(period_key),
                        mapping_json)
    kind = KIND_LABELS.get(result.kind, "Không xác định")
    st.markdown(f"**{md(upload.name)}** · {fmt.number(len(data) / 1024, 0)} KB · loại tệp: **{kind}**")
    # whether this account may store it, row by row for progress (the same check store_checked makes)
    refusal = rights.refuse_import(result, common.current_account()) if result.ok else None
    shown_findings = Findings(list(refusal.findings.errors) if refusal else [], [])
    shown_findings.extend(result.findings)
    table = findings_table(shown_findings)
    if not result.ok:
        st.error(f"Tệp bị từ chối: {len(result.findings.errors)} lỗi. Không có gì được lưu. Hãy sửa các lỗi dưới "
                 "đây rồi tải lên lại.", icon=":material/block:")
    elif refusal is not None:
        st.error(md(refusal.message), icon=":material/block:")
    elif len(table):
        st.warning(f"Tệp hợp lệ, có {len(result.findings.warnings)} cảnh báo. Hãy xem trước khi nhập.", icon=":material/warning:")
    else:
        st.success("Tệp hợp lệ, không có lỗi hay cảnh báo.", icon=":material/check_circle:")
    if len(table):
        show_findings(table)
    if result.kind == "stats" and result.stats is not None and result.stats.columns and common.can("upload_stats"):
        _mapping_editor(result, sha)
    if result.needs_period or st.session_state.get(period_key):
        chosen = st.session_state.get(period_key)
        st.info("Tệp không ghi kỳ báo cáo (tháng, năm). Hãy chọn kỳ của số liệu trong tệp; kỳ đã chọn được ghi "
                "trong cảnh báo và trong lịch sử nhập.", icon=":material/calendar_month:")
        year_col, month_col, end_col, button_col = st.columns([1, 1, 1, 2], vertical_alignment="bottom")
        years = views.period_picker_years(store, chosen)
        year = year_col.selectbox("Năm", years, index=years.index(chosen[0]) if chosen else len(years) - 1,
                                  key=f"period_year_{sha}")
        month = month_col.selectbox("Tháng", list(range(1, 13)), index=chosen[1] - 1 if chosen else 0,
                                    format_func=lambda m: f"Tháng {m:02d}", key=f"period_month_{sha}")
        ends = list(range(month, 13))  # a quarter or half year: one record over its months
        end = end_col.selectbox("Đến tháng", ends, format_func=lambda m: f"Tháng {m:02d}",
                                index=ends.index(chosen[-1]) if chosen and chosen[-1] in ends else 0,
                                key=f"period_end_{sha}", help="Để nguyên nếu số liệu là của một tháng.")
        if button_col.button("Kiểm tra lại với kỳ này", key=f"period_apply_{sha}"):
            st.session_state[period_key] = (int(year), int(month)) + ((int(end),) if end != month else ())
            st.rerun()

    if result.ok and refusal is None:
        preview = preview_import(store, result)
        st.subheader("Xem trước")
        if result.kind == "plan":
            plan = result.plan
            total = plan.total
            st.markdown(f"Kế hoạch năm **{plan.plan_year}**: {len(plan.criteria)} tiêu chí trong "
                        f"{len(plan.domains)} lĩnh vực; điểm chuẩn {fmt.points(total['standard'])}, "
                        f"{md(plan.appraisal_label.removeprefix('Điểm ').lower())} "
                        f"{fmt.points(total['appraised'])}, bị mất **{fmt.points(total['lost'])}**.")
            if preview.get("replaces_plan"):
                st.info(f"Kế hoạch năm {plan.plan_year} đã có: bản mới sẽ thay thế, bản cũ vẫn được lưu trong lịch sử.")
        else:
            added, replaced = preview["added"], preview["replaced"]
            what, first, second, label = PREVIEW_WORDS[result.kind]
            st.markdown(f"Thêm **{len(added)}** {what} mới, thay thế **{len(replaced)}** {what} đã có "
                        "(bản cũ vẫn giữ trong lịch sử, tổng số không bao giờ tính trùng).")
            rows = [{first: a, second: label(b), "Thao tác": "Thêm mới"} for a, b in added]
            rows += [{first: a, second: label(b), "Thao tác": "Thay thế"} for a, b in replaced]
            common.dataframe(pd.DataFrame(rows, columns=[first, second, "Thao tác"])
                             .sort_values(["Thao tác", second, first]), height=300)
        conflicts = preview.get("conflicts") or []
        replace_overlaps = False
        if conflicts:
            st.warning(f"Tệp có số liệu chồng kỳ với số liệu đã lưu ({len(conflicts)} trường hợp): một tháng không "
                       "được tính hai lần.", icon=":material/warning:")
            common.dataframe(pd.DataFrame({"Nội dung": conflict_messages(conflicts)}), height=200)
            choice = st.radio("Với số liệu chồng kỳ", ["Không nhập tệp này", "Thay thế số liệu đã lưu bị chồng"],
                              key=f"overlap_{sha}", horizontal=True,
                              help="Số liệu bị thay thế vẫn giữ trong lịch sử và trở lại nếu hủy lần nhập này.")
            replace_overlaps = choice == "Thay thế số liệu đã lưu bị chồng"
        if (replace_overlaps or not conflicts) and st.button("Xác nhận nhập dữ liệu", type="primary",
                                                            key="confirm_import") and (outcome := _guarded(
                lambda: store_checked(store, result, data, upload.name, user=common.current_user(),
                                      account=common.current_account(), replace_overlaps=replace_overlaps))):
            st.cache_data.clear()
            message = f"Đã nhập {upload.name} (lần nhập số {outcome.import_id})."
            if summary := outcome_text(result.kind, outcome):  # and whether re-imported figures changed
                message += " " + summary
            st.session_state["last_import"] = message
            st.session_state["history_follow"] = outcome.import_id  # the detail below shows this new entry
            st.session_state["upload_round"] += 1
            st.rerun()

st.divider()
st.subheader("Lịch sử nhập và chỉnh sửa")
history = common.query("import_history")
if history.empty:
    common.empty_state("lần nhập dữ liệu nào")
else:
    active = common.query("active_entries")
    shown = views.history_table(history, active)
    common.dataframe(shown, height=min(38 * (len(shown) + 1), 420))
    entry_ids = history["id"].tolist()
    # an entry this session just made (an import, a rollback, a mapping) becomes the one shown, not the one chosen
    # before it; set before the selectbox is drawn, as Streamlit requires
    if (follow := st.session_state.pop("history_follow", None)) in entry_ids:
        st.session_state["history_entry"] = follow
    chosen = st.selectbox("Xem một lần nhập hoặc chỉnh sửa", entry_ids, key="history_entry",
                          format_func=lambda i: views.entry_label(history, i))
    entry = history.set_index("id").loc[chosen]
    changes = common.query("entry_changes", int(chosen))
    detail = views.entry_detail(history, int(chosen))
    st.markdown(f"**Lần {chosen}** · " + md(f"{detail['kind']} · {detail['who']} · {detail['when']} · "
                                          f"{detail['what']}"))
    if len(changes):
        common.dataframe(changes, height=min(38 * (len(changes) + 1), 300))
    cols = st.columns(3)
    if entry["size"] > 0 and entry["filename"]:
        if not common.can("download_original"):
            cols[0].caption("Tệp gốc chỉ dành cho tài khoản có quyền Cập nhật.")
        elif original := _guarded(lambda: rights.original_file(store, common.current_account(), int(chosen))):
            name, content = original
            cols[0].download_button("Tải tệp gốc", content, file_name=name, mime=XLSX_MIME, key="download_original")
            cols[0].caption(ORIGINAL_NOTE)
    if common.can("rollback"):
        if cols[1].button(f"Đưa dữ liệu về như sau lần {chosen}", key="rollback",
                          help="Mọi lần nhập, chỉnh sửa sau lần này bị hủy hiệu lực (vẫn giữ trong lịch sử)."):
            st.session_state["confirm_rollback"] = int(chosen)
        if entry["kind"] == "rollback" and cols[2].button("Hoàn tác lần khôi phục này", key="undo_rollback"):
            st.session_state["confirm_rollback"] = int(chosen) - 1
        target = st.session_state.get("confirm_rollback")
        if target is not None:
            st.warning(f"Xác nhận đưa toàn bộ dữ liệu về trạng thái ngay sau lần {target}? Thao tác này được ghi vào "
                       "lịch sử và có thể hoàn tác.", icon=":material/history:")
            yes, no = st.columns(2)
            if yes.button("Xác nhận khôi phục", type="primary", key="confirm_rollback_yes") and (done := _guarded(
                    lambda: rights.rollback_to(store, common.current_account(), target, user=common.current_user()))):
                st.session_state.pop("confirm_rollback")
                st.cache_data.clear()
                st.session_state["last_import"] = f"Đã đưa dữ liệu về như sau lần {target} (lần {done})."
                st.session_state["history_follow"] = done
                st.rerun()
            if no.button("Thôi", key="confirm_rollback_no"):
                st.session_state.pop("confirm_rollback")
                st.rerun()

st.divider()
st.subheader("Chỉ tiêu của các tiêu chí")
plan = common.query("plan_for", common.filters().year)
if plan is None:
    st.caption("Chưa có kế hoạch.")
else:
    st.caption("Chỉ tiêu được đọc tự động từ cột “Giải pháp” của kế hoạch. Sửa ở đây nếu đọc chưa đúng; mỗi lần sửa "
               "được ghi vào lịch sử.")
    editable = views.targets_editor_frame(plan)
    may_edit_targets = common.can("edit_targets")
    edited = st.data_editor(
        editable, hide_index=True, width="stretch", key="targets_editor",
        disabled=True if not may_edit_targets else ["Mã", "Tiêu chí"],
        column_config={
            "Chỉ số": st.column_config.SelectboxColumn(
                options=[views.NO_CHOICE, *METRICS],
                format_func=lambda k: METRICS[k].label if k in METRICS else "— không có —"),
            "Phép so sánh": st.column_config.SelectboxColumn(options=list(views.OP_LABELS),
                                                            format_func=views.OP_LABELS.get),
            "Giá trị (%)": st.column_config.TextColumn(help="Ví dụ: 100, 95,5, 20"),
        })
    if may_edit_targets and st.button("Lưu chỉ tiêu", key="save_targets"):
        changed = views.target_changes(editable, edited)
        if isinstance(changed, str):
            st.error(md(changed))
        elif not changed:
            st.info("Không có thay đổi nào.")
        elif _guarded(lambda: rights.set_targets(store, common.current_account(), changed, plan_year=plan.plan_year,
                                                 user=common.current_user())):
            st.cache_data.clear()
            st.success(f"Đã lưu {len(changed)} chỉ tiêu.")
            st.rerun()

if plan is not None:
    st.divider()
    st.subheader("Cách chấm điểm từng tiêu chí")
    st.caption("Quy tắc chấm điểm của tỉnh chưa được công bố đầy đủ, nên mỗi tiêu chí có một cách chấm có thể sửa. "
               "Mặc định: chỉ tiêu của kế hoạch là ngưỡng đủ điểm.")
    with st.expander("Các cách chấm"):
        common.dataframe(rules_module.rule_kinds_table())
    current_rules = list(scoring.plan_rules(plan, store.rules_json(plan.plan_year)).values())
    rules_frame = views.rules_editor_frame(current_rules)
    may_edit_rules = common.can("edit_rules")
    edited_rules = st.data_editor(
        rules_frame, hide_index=True, width="stretch", key="rules_editor",
        disabled=True if not may_edit_rules else [rules_module.RULE_COLUMN_LABELS["code"]],
        column_config={rules_module.RULE_COLUMN_LABELS["kind"]: st.column_config.SelectboxColumn(
            options=list(rules_module.RULE_KIND_LABELS.values())),
            # "100:1; 95:0,5; 0:0" whole, and the note wide enough to read
            rules_module.RULE_COLUMN_LABELS["bands"]: st.column_config.TextColumn(width=150),
            rules_module.RULE_COLUMN_LABELS["code"]: st.column_config.TextColumn(width=90)})
    if may_edit_rules and st.button("Lưu cách chấm điểm", key="save_rules"):
        rules, findings = views.rules_from_editor(edited_rules, plan)
        if findings.errors:
            for finding in findings.errors:
                st.error(md(finding.located()))
        elif _guarded(lambda: rights.set_rules(  # the stored "Gần đạt" ratio (below) is kept with the new rules
                store, common.current_account(),
                rules_module.rules_to_json(rules, rules_module.close_ratio_from_json(store.rules_json(plan.plan_year))),
                plan_year=plan.plan_year, user=common.current_user())):
            st.cache_data.clear()
            st.success("Đã lưu cách chấm điểm.")
            st.rerun()

    # "Gần đạt" as a share of the target (status.classify): stored with the rules, so versioned and rolled back
    stored_rules = store.rules_json(plan.plan_year)
    close_ratio = rules_module.close_ratio_from_json(stored_rules)
    chosen_percent = st.number_input(
        "Ngưỡng “Gần đạt” (% của chỉ tiêu)", min_value=1, max_value=100, step=1, value=round(close_ratio * 100),
        key="close_ratio", disabled=not may_edit_rules, help="Mặc định 90: đạt từ 90% chỉ tiêu là gần đạt.")
    st.caption(rules_module.close_ratio_note(close_ratio))
    if may_edit_rules and st.button("Lưu ngưỡng “Gần đạt”", key="save_close_ratio"):
        chosen_ratio = rules_module.parse_close_ratio(chosen_percent)
        if abs(chosen_ratio - close_ratio) < 1e-9:
            st.info("Không có thay đổi nào.")
        elif _guarded(lambda: rights.set_rules(store, common.current_account(),
                                               rules_module.with_close_ratio(stored_rules, chosen_ratio),
                                               plan_year=plan.plan_year, user=common.current_user())):
            st.cache_data.clear()
            st.session_state["last_import"] = f"Đã lưu ngưỡng “Gần đạt”: từ {fmt.percent(chosen_ratio, 0)} chỉ tiêu."
            st.rerun()

st.divider()
st.subheader("Mẫu để tải về")
templates = [("Mẫu kế hoạch", PLAN_TEMPLATE_FILE), ("Mẫu thống kê TTHC hằng tháng", STATS_TEMPLATE_FILE),
             ("Mẫu báo cáo tiến độ", PROGRESS_TEMPLATE_FILE), ("Mẫu số liệu thủ tục hành chính", PROCEDURES_TEMPLATE_FILE),
             ("Mẫu điểm Chỉ số 766", INDEX766_TEMPLATE_FILE)]
with st.container(horizontal=True, gap="small"):  # a row that wraps: each button keeps its words at 1024 px
    for label, path in templates:
        st.download_button(f"{label} (.xlsx)", path.read_bytes(), file_name=path.name, mime=XLSX_MIME,
                           key=f"template_{path.stem}", width="content")

# ---- Bản tin tuần (issue 15): the digest to copy into Zalo or e-mail; an admin sends it (cchc/mail.py) ----


@st.cache_data(show_spinner=False, max_entries=4)
def _digest_text(url: str, data_version: int, day: str) -> str | None:
    """The digest of the latest month with data, made once per data version and day (its date is in the text)."""
    from cchc.show import digest

    made = digest.build_digest(common.get_store())
    return digest.digest_text(made) if made is not None else None


def _send_digest() -> None:
    """Checked on the server (rights.require in mail.send_digest): a hidden button is not the door."""
    from cchc import mail
    from cchc.show import digest

    try:
        settings = mail.load_settings()
        sent = mail.send_digest(common.current_account(), settings, digest.build_digest(store))
    except rights.NotAllowed as refused:
        st.error(md(refused.message), icon=":material/block:")
    except mail.MailError as failed:
        if failed.sent:
            st.info(md(mail.sent_text(failed.sent)))
        st.error(md(f"Gửi thư không thành công: {failed.message}"), icon=":material/error:")
    else:
        st.success(md(mail.sent_text(sent)), icon=":material/mark_email_read:")


st.divider()
st.subheader("Bản tin tuần")
digest_text = _digest_text(store.url, store.data_version(), pd.Timestamp.today().date().isoformat())
if digest_text is None:
    st.info("Chưa có số liệu thống kê TTHC hay điểm Bộ chỉ số 766 để lập bản tin.")
else:
    st.caption("Tin nhắn ngắn cho lãnh đạo về tháng mới nhất có số liệu: bấm biểu tượng sao chép ở góc khung để dán "
               "vào Zalo hoặc thư. Hằng tuần có thể gửi tự động bằng lệnh `python -m cchc digest --send` (README).")
    st.code(digest_text, language=None, wrap_lines=True)
    if common.can("send_digest"):
        if st.button("Gửi", key="digest_send", icon=":material/send:",
                     help="Gửi thư tới người nhận trong mục [mail] của .streamlit/secrets.toml; mỗi cơ quan nhận "
                          "phần của mình."):
            _send_digest()
    else:
        st.caption("Chỉ quản trị viên gửi được bản tin qua thư điện tử.")
