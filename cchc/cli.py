"""Command line: python -m cchc check|import|summary … — exit 0 accepted, 1 refused, 2 usage."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from . import formatting as fmt
from .score.status import STATUS_LABELS as STATUS_TEXT

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own messages are English; say it in Vietnamese, exit 2
        self.print_usage(sys.stderr)
        sys.stderr.write(f"Lỗi cú pháp lệnh: {message}\n")
        raise SystemExit(EXIT_USAGE)


def _period_argument(text: str) -> tuple[int, ...]:
    """--period YYYY-MM, or YYYY-MM..YYYY-MM for a span of one year: (year, month) or (year, first, last)."""
    import re

    month = r"((?:19|20)\d{2})-(0[1-9]|1[0-2])"
    if (m := re.fullmatch(month, text.strip())):
        return int(m[1]), int(m[2])
    if (m := re.fullmatch(month + r"\.\." + month, text.strip())):
        if (m[1], m[2]) == (m[3], m[4]):
            return int(m[1]), int(m[2])
        if m[1] != m[3] or m[2] > m[4]:
            raise argparse.ArgumentTypeError(f"kỳ “{text}” không hợp lệ: kỳ nhiều tháng phải trong cùng một năm, tháng "
                                             "đầu trước tháng cuối (ví dụ 2019-01..2019-03)")
        return int(m[1]), int(m[2]), int(m[4])
    raise argparse.ArgumentTypeError(f"kỳ “{text}” không đúng dạng YYYY-MM (ví dụ 2019-01)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m cchc", description="Kiểm tra, nhập và tổng hợp dữ liệu CCHC.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = sub.add_parser("check", help="Kiểm tra một tệp Excel (kế hoạch, thống kê TTHC, điểm Bộ chỉ số 766…), "
                                         "không lưu.")
    check.add_argument("file")
    check.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")
    imp = sub.add_parser("import", help="Kiểm tra rồi nhập một tệp vào cơ sở dữ liệu.")
    imp.add_argument("file")
    imp.add_argument("--db", help="Địa chỉ cơ sở dữ liệu SQLAlchemy (mặc định: CCHC_DATABASE_URL hoặc data/cchc.sqlite).")
    imp.add_argument("--user", help="Người nhập (mặc định: tên đăng nhập của máy).")
    imp.add_argument("--json", action="store_true")
    imp.add_argument("--replace-overlaps", action="store_true",
                     help="Số liệu nhiều tháng (quý…) chồng lên số liệu đã lưu của cùng đơn vị: thay thế bản đã lưu "
                          "(bản cũ vẫn trong lịch sử, hủy lần nhập này là lấy lại). Mặc định: từ chối.")
    check.add_argument("--db", help="Cơ sở dữ liệu có kế hoạch để đối chiếu mã tiêu chí của báo cáo tiến độ.")
    for sub_parser in (check, imp):
        sub_parser.add_argument("--period", metavar="YYYY-MM", type=_period_argument,
                                help="Kỳ báo cáo của tệp thống kê không ghi kỳ, YYYY-MM hoặc YYYY-MM..YYYY-MM (không "
                                     "thay kỳ tệp đã ghi).")
        sub_parser.add_argument("--mapping", metavar="NAME",
                                help="Đọc các cột theo cách đọc đã lưu trên trang Dữ liệu (tên cách đọc).")
    score = sub.add_parser("score", help="Tình trạng và điểm dự kiến của từng tiêu chí.")
    score.add_argument("--db")
    score.add_argument("--from", dest="start", metavar="YYYY-MM", help="Tháng đầu kỳ (mặc định: đầu năm có số liệu "
                                                                       "mới nhất).")
    score.add_argument("--to", dest="end", metavar="YYYY-MM", help="Tháng cuối kỳ (mặc định: tháng mới nhất).")
    score.add_argument("--unit", help="Chỉ tính số liệu của một đơn vị (tên hoặc tên ngắn).")
    score.add_argument("--json", action="store_true")
    user = sub.add_parser("user", help="Quản lý tài khoản (dành cho quản trị viên).")
    user_sub = user.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    add = user_sub.add_parser("add", help="Tạo tài khoản.")
    add.add_argument("username")
    add.add_argument("--role", choices=["viewer", "editor", "admin"], default="viewer",
                     help="viewer: xem; editor: tải tệp, nhập tiến độ, sửa chỉ tiêu; admin: thêm quản lý tài khoản, "
                          "khôi phục.")
    add.add_argument("--agency", default="", help="Giới hạn editor vào một cơ quan (chỉ nhập tiến độ của cơ quan đó).")
    add.add_argument("--name", default="", help="Tên hiển thị.")
    passwd = user_sub.add_parser("passwd", help="Đặt lại mật khẩu (và mở khóa).")
    passwd.add_argument("username")
    disable = user_sub.add_parser("disable", help="Khóa tài khoản.")
    disable.add_argument("username")
    user_sub.add_parser("list", help="Liệt kê tài khoản.")
    for sub_parser in (add, passwd):
        sub_parser.add_argument("--password-stdin", action="store_true", help="Đọc mật khẩu từ đầu vào chuẩn.")
    for sub_parser in (add, passwd, disable, user_sub.choices["list"]):
        sub_parser.add_argument("--db")
    backup = sub.add_parser("backup", help="Sao lưu toàn bộ dữ liệu vào một tệp.")
    backup.add_argument("file")
    backup.add_argument("--db")
    restore = sub.add_parser("restore", help="Phục hồi dữ liệu từ tệp sao lưu vào cơ sở dữ liệu trống.")
    restore.add_argument("file")
    restore.add_argument("--db")
    summary = sub.add_parser("summary", help="Tổng hợp những gì đã lưu.")
    summary.add_argument("--db")
    summary.add_argument("--json", action="store_true")
    digest = sub.add_parser("digest", help="Bản tin tuần cho lãnh đạo: tình hình, thay đổi, đơn vị chưa đạt, thời "
                                           "hạn; in ra, ghi tệp hoặc gửi thư.")
    digest.add_argument("--db")
    digest.add_argument("--period", metavar="YYYY-MM", help="Tháng của bản tin (mặc định: tháng mới nhất có số liệu).")
    digest.add_argument("--out", metavar="FILE", help="Ghi bản tin (hoặc JSON với --json) vào tệp này.")
    digest.add_argument("--json", action="store_true", help="In dạng JSON: period, text, below_thresholds, deadlines.")
    digest.add_argument("--pdf", action="store_true", help="Kèm báo cáo họp PDF (ghi cạnh tệp --out; với --send: "
                                                           "đính kèm thư).")
    digest.add_argument("--send", action="store_true", help="Gửi thư theo mục [mail] của .streamlit/secrets.toml.")
    return parser


def _print_findings(result) -> None:
    for finding in result.findings.errors:
        print(f"LỖI  {finding.located()}")
    for finding in result.findings.warnings:
        print(f"CẢNH BÁO  {finding.located()}")


def _describe(result) -> str:
    if result.kind == "plan" and result.plan:
        total = {k: fmt.points(v) for k, v in result.plan.total.items()}
        return (f"Kế hoạch năm {result.plan.plan_year}: {len(result.plan.criteria)} tiêu chí, "
                f"{len(result.plan.domains)} lĩnh vực; điểm chuẩn {total['standard']}, "
                f"thẩm định {total['appraised']}, bị mất {total['lost']}.")
    if result.kind == "stats" and result.stats is not None:
        records = result.stats.records
        periods = sorted(records["period"].unique()) if len(records) else []
        span = f"{periods[0]} đến {periods[-1]}" if periods else "không có kỳ nào"
        return f"Thống kê TTHC: {records['unit'].nunique()} đơn vị, {len(periods)} kỳ ({span}), {len(records)} dòng."
    if result.kind == "progress" and result.progress is not None:
        records = result.progress.records
        return (f"Báo cáo tiến độ: {len(records)} báo cáo, {records['code'].nunique()} tiêu chí, "
                f"{records['period'].nunique()} kỳ.")
    if result.kind == "procedures" and result.procedures is not None:
        records = result.procedures.records
        years = ", ".join(str(int(y)) for y in sorted(records["year"].unique()))
        return f"Số liệu thủ tục: {records['unit'].nunique()} đơn vị, năm {years}."
    if result.kind == "index766" and result.index766 is not None:
        scores = result.index766
        periods = ", ".join(fmt.period_label(p) for p in scores.periods()) or "không có kỳ nào"
        return (f"Điểm Bộ chỉ số 766: {fmt.number(scores.records['unit'].nunique())} đơn vị, kỳ {periods}; nhóm "
                f"{', '.join(scores.codes)}.")
    return ""


def _read_file(path_text: str) -> tuple[bytes, str] | None:
    path = Path(path_text)
    if not path.is_file():
        sys.stderr.write(f"Không tìm thấy tệp: {path_text}\n")
        return None
    return path.read_bytes(), path.name


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("check", "import"):
        from .sandbox import warm_up

        warm_up()  # the checking process imports the readers while this one does
    from .ingest import store_checked
    from .store.database import Store

    if args.command in ("check", "import"):
        read = _read_file(args.file)
        if read is None:
            return EXIT_USAGE
        data, name = read
        store = Store(args.db) if args.db or args.command == "import" or args.mapping else None
        saved = store.saved_mappings() if store else []
        forced = None
        if args.mapping:
            forced = next((m for m in saved if m["name"] == args.mapping.strip()), None)
            if forced is None:
                names = ", ".join(f"“{m['name']}”" for m in saved) or "chưa có cách đọc nào"
                sys.stderr.write(f"Không có cách đọc cột tên “{args.mapping}” trong cơ sở dữ liệu ({names}).\n")
                return EXIT_USAGE
        from .sandbox import check_file_bounded, environment_setting, limits_from_settings

        # read in a child process with a CPU, memory and wall-clock limit (CCHC_CHECK_CPU_SECONDS, …)
        result = check_file_bounded(data, name, plan=store.current_plan() if store else None, period=args.period,
                                    mappings=saved, forced_mapping=forced,
                                    limits=limits_from_settings(environment_setting))
        if store is not None:  # QĐ 766 scores: checked against the maxima stored, not the defaults the child used
            from .ingest import apply_index766_maxima

            result = apply_index766_maxima(result, store.index766_maxima())
        outcome = None
        if args.command == "import" and result.ok:
            from .ingest import MACHINE_ADMIN, conflict_messages
            from .rights import NotAllowed
            from .store.database import PeriodConflict, StorageError

            try:  # the CLI is the machine's administrator: every kind of file, every agency
                outcome = store_checked(store, result, data, name, user=args.user, account=MACHINE_ADMIN,
                                        replace_overlaps=args.replace_overlaps)
            except PeriodConflict as conflict:
                for line in conflict_messages(conflict.conflicts):
                    sys.stderr.write(line + "\n")
                sys.stderr.write("BỊ TỪ CHỐI: số liệu chồng kỳ. Không có gì được lưu. Thêm --replace-overlaps để "
                                 "thay thế số liệu đã lưu (bản cũ vẫn trong lịch sử).\n")
                return EXIT_REFUSED
            except (StorageError, NotAllowed) as refused:
                sys.stderr.write(f"{refused.message}\n")
                return EXIT_REFUSED
        if args.json:
            payload = result.as_dict()
            if outcome is not None:
                payload["import_id"] = outcome.import_id
                if result.kind in ("stats", "index766"):
                    payload["added"] = [list(k) for k in outcome.added]
                    payload["replaced"] = [list(k) for k in outcome.replaced]
            print(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            _print_findings(result)
            if result.ok:
                print(("ĐÃ NHẬP. " if outcome else "HỢP LỆ. ") + _describe(result))
                if outcome and result.kind == "stats":
                    from .ingest import outcome_text

                    print(outcome_text(result.kind, outcome))  # says too whether re-imported figures changed
                if outcome and result.kind == "index766":
                    print(f"Thêm {fmt.number(len(outcome.added))} đơn vị-kỳ, thay thế "
                          f"{fmt.number(len(outcome.replaced))} đơn vị-kỳ.")
            else:
                print(f"BỊ TỪ CHỐI: {len(result.findings.errors)} lỗi. Không có gì được lưu.")
        return EXIT_OK if result.ok else EXIT_REFUSED

    store = Store(args.db) if args.db else Store()
    if args.command == "score":
        return _score(store, args)
    if args.command == "user":
        return _user(store, args)
    if args.command in ("backup", "restore"):
        return _backup(store, args)
    if args.command == "digest":
        return _digest(store, args)
    plan = store.current_plan()
    stats = store.stats_summary()
    if args.json:
        print(json.dumps({"plan": plan.as_dict() if plan else None, "stats": stats,
                          "imports": store.import_count()}, ensure_ascii=False, indent=2))
    else:
        if plan:
            t = {k: fmt.points(v) for k, v in plan.total.items()}
            print(f"Kế hoạch năm {plan.plan_year}: {len(plan.criteria)} tiêu chí; chuẩn {t['standard']}, "
                  f"thẩm định {t['appraised']}, bị mất {t['lost']}.")
        else:
            print("Chưa có kế hoạch.")
        print(f"Thống kê: {stats['units']} đơn vị, {len(stats['periods'])} kỳ; {store.import_count()} lần nhập.")
    return EXIT_OK


MIN_PASSWORD = 8


def _read_password(from_stdin: bool) -> str | None:
    import getpass

    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    try:
        first = getpass.getpass("Mật khẩu: ")
        again = getpass.getpass("Nhập lại mật khẩu: ")
    except EOFError:  # input closed (a script without --password-stdin): say so, not an unexpected error
        sys.stderr.write("\nKhông đọc được mật khẩu (đầu vào đã đóng). Dùng --password-stdin để đọc từ đầu vào "
                         "chuẩn.\n")
        return None
    if first != again:
        sys.stderr.write("Hai lần nhập mật khẩu không khớp.\n")
        return None
    return first


def _user(store, args) -> int:
    from .store.accounts import ROLE_LABELS, hash_password

    if args.user_command == "list":
        frame = store.list_users()
        if frame.empty:
            print("Chưa có tài khoản nào (bảng điều hành đang ở chế độ mở).")
        for row in frame.to_dict("records"):
            state = "đã khóa" if row["disabled"] else "hoạt động"
            print(f"{row['username']:<24} {ROLE_LABELS[row['role']]:<10} {row['agency'] or 'mọi cơ quan':<32} {state}")
        return EXIT_OK
    existing = store.get_user(args.username)
    if args.user_command in ("passwd", "disable") and existing is None:
        sys.stderr.write(f"Không có tài khoản “{args.username}”.\n")
        return EXIT_REFUSED
    if args.user_command == "disable":
        store.save_user(args.username, disabled=True)
        print(f"Đã khóa tài khoản {args.username}.")
        return EXIT_OK
    if args.user_command == "add" and existing is not None:
        sys.stderr.write(f"Tài khoản “{args.username}” đã có; dùng “user passwd” để đổi mật khẩu.\n")
        return EXIT_REFUSED
    if args.user_command == "add" and args.agency:
        from .registry import load_registry

        agency = load_registry().lookup(args.agency)
        if agency is None or agency.is_group:
            sys.stderr.write(f"Cơ quan “{args.agency}” không có trong danh mục đơn vị.\n")
            return EXIT_REFUSED
        args.agency = agency.name
    password = _read_password(args.password_stdin)
    if password is None:
        return EXIT_REFUSED
    if len(password) < MIN_PASSWORD:
        sys.stderr.write(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.\n")
        return EXIT_REFUSED
    if args.user_command == "add":
        store.save_user(args.username, role=args.role, agency=args.agency, display_name=args.name,
                        password_hash=hash_password(password))
        print(f"Đã tạo tài khoản {args.username} ({ROLE_LABELS[args.role]}).")
    else:
        from .store.accounts import clear_failures

        store.save_user(args.username, password_hash=hash_password(password), disabled=False)
        clear_failures(store, args.username)
        print(f"Đã đặt lại mật khẩu cho {args.username}.")
    return EXIT_OK


def _backup(store, args) -> int:
    from .store.backup import BackupError, backup, restore

    if args.command == "backup":
        manifest = backup(store, args.file)
        rows = sum(manifest["tables"].values())
        print(f"Đã sao lưu {rows} dòng của {len(manifest['tables'])} bảng vào {args.file}.")
        return EXIT_OK
    if not Path(args.file).is_file():
        sys.stderr.write(f"Không tìm thấy tệp: {args.file}\n")
        return EXIT_USAGE
    try:
        manifest = restore(store, args.file)
    except BackupError as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_REFUSED
    print(f"Đã phục hồi {sum(manifest['tables'].values())} dòng từ {args.file}.")
    return EXIT_OK


_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _score(store, args) -> int:
    from .score.scoring import score_for_period

    for label, value in (("--from", args.start), ("--to", args.end)):
        if value and not _PERIOD.match(value):
            sys.stderr.write(f"Lỗi cú pháp lệnh: {label} cần dạng YYYY-MM (ví dụ 2019-06), không phải “{value}”.\n")
            return EXIT_USAGE
    unit = None
    if args.unit:
        from .registry import load_registry

        agency = load_registry().lookup(args.unit)
        unit = agency.name if agency else args.unit
    outcome = score_for_period(store, args.start, args.end, unit)
    if outcome is None:
        message = "Chưa có kế hoạch trong cơ sở dữ liệu: hãy nhập kế hoạch trước."
        if args.json:
            print(json.dumps({"error": message}, ensure_ascii=False))
        else:
            print(message)
        return EXIT_REFUSED
    start, end, score = outcome
    if args.json:
        print(json.dumps({"from": start, "to": end, "criteria": [c.as_json() for c in score.criteria],
                          "total": score.total_json()}, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"Kỳ {fmt.period_range_label(start, end)}" + (f", đơn vị {unit}" if unit else ""))
    for c in score.criteria:
        value = fmt.percent(c.value) if c.value is not None and c.target is not None else (
            fmt.points(c.value) if c.value is not None else "–")
        print(f"  {c.code:<7} {STATUS_TEXT[c.status]:<16} giá trị {value:<8} điểm "
              f"{fmt.points(c.points) if c.points is not None else '–':<6} / {fmt.points(c.standard)}")
    total = score.total_json()
    print(f"Điểm dự kiến {fmt.points(total['projected'])} / {fmt.points(total['standard'])}; khôi phục "
          f"{fmt.points(total['recovered'])} / {fmt.points(score.lost_total)} điểm bị mất.")
    return EXIT_OK


def _digest(store, args) -> int:
    """The weekly digest: printed, written (--out), with the meeting PDF (--pdf), e-mailed (--send)."""
    from .show import digest as content

    if args.period and not _PERIOD.match(args.period):
        sys.stderr.write(f"Lỗi cú pháp lệnh: --period cần dạng YYYY-MM (ví dụ 2019-12), không phải “{args.period}”.\n")
        return EXIT_USAGE
    settings = None
    if args.send:  # the settings first: a mistake there is said before any work
        from .mail import MailError, load_settings

        try:
            settings = load_settings()
        except MailError as exc:
            sys.stderr.write(exc.message + "\n")
            return EXIT_REFUSED
    made = content.build_digest(store, args.period)
    if made is None:
        sys.stderr.write("Chưa có số liệu thống kê TTHC hay điểm Bộ chỉ số 766 để lập bản tin: hãy nhập số liệu, "
                         "hoặc chọn tháng bằng --period.\n")
        return EXIT_REFUSED
    note = sys.stderr if args.json else sys.stdout  # with --json, stdout holds the JSON alone
    output = (json.dumps(made.as_json(), ensure_ascii=False, indent=2) + "\n") if args.json else \
        content.digest_text(made)
    if args.out:
        Path(args.out).write_text(output, encoding="utf-8")
        note.write(f"Đã ghi bản tin vào {args.out}.\n")
    else:
        sys.stdout.write(output)
    pdf = None
    if args.pdf:
        from .show.reports import build_report, report_filename, report_pdf
        from .show.views import Filters

        report = build_report(store, Filters(int(made.period[:4]), 1, int(made.period[5:7])), made=made.made)
        pdf = (report_filename(report, "pdf"), report_pdf(report))
        if args.out or not args.send:  # with --send alone it is only attached
            path = Path(args.out).with_suffix(".pdf") if args.out else Path(pdf[0])
            if args.out and path == Path(args.out):
                path = path.with_name(path.stem + "_bao_cao.pdf")
            path.write_bytes(pdf[1])
            note.write(f"Đã ghi báo cáo PDF vào {path}.\n")
    if args.send:
        from .ingest import MACHINE_ADMIN
        from .mail import MailError, send_digest, sent_text

        try:  # the CLI is the machine's administrator
            sent = send_digest(MACHINE_ADMIN, settings, made, pdf)
        except MailError as exc:
            if exc.sent:
                note.write(sent_text(exc.sent) + "\n")
            sys.stderr.write(f"Gửi thư không thành công: {exc.message}\n")
            return EXIT_REFUSED
        note.write(sent_text(sent) + "\n")
    return EXIT_OK


def run() -> None:
    from .store.database import StorageError

    try:
        code = main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        code = 130
    except StorageError as exc:  # any command's write (an account, a restore): what to do, never a traceback
        sys.stderr.write(f"{exc.message}\n")
        code = EXIT_REFUSED
    except Exception as exc:  # never a traceback for the user; the message says what broke
        sys.stderr.write(f"Lỗi không mong đợi: {type(exc).__name__}: {exc}\n")
        code = 3
    sys.exit(code)
