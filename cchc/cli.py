"""Command line: python -m cchc check|import|summary … — exit 0 accepted, 1 refused, 2 usage."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from . import formatting as fmt
from .status import STATUS_LABELS as STATUS_TEXT

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own messages are English; say it in Vietnamese, exit 2
        self.print_usage(sys.stderr)
        sys.stderr.write(f"Lỗi cú pháp lệnh: {message}\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m cchc", description="Kiểm tra, nhập và tổng hợp dữ liệu CCHC.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = sub.add_parser("check", help="Kiểm tra một tệp Excel (kế hoạch hoặc thống kê TTHC), không lưu.")
    check.add_argument("file")
    check.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")
    imp = sub.add_parser("import", help="Kiểm tra rồi nhập một tệp vào cơ sở dữ liệu.")
    imp.add_argument("file")
    imp.add_argument("--db", help="Địa chỉ cơ sở dữ liệu SQLAlchemy (mặc định: CCHC_DATABASE_URL hoặc data/cchc.sqlite).")
    imp.add_argument("--user", help="Người nhập (mặc định: tên đăng nhập của máy).")
    imp.add_argument("--json", action="store_true")
    check.add_argument("--db", help="Cơ sở dữ liệu có kế hoạch để đối chiếu mã tiêu chí của báo cáo tiến độ.")
    score = sub.add_parser("score", help="Tình trạng và điểm dự kiến của từng tiêu chí.")
    score.add_argument("--db")
    score.add_argument("--from", dest="start", metavar="YYYY-MM", help="Tháng đầu kỳ (mặc định: đầu năm có số liệu "
                                                                       "mới nhất).")
    score.add_argument("--to", dest="end", metavar="YYYY-MM", help="Tháng cuối kỳ (mặc định: tháng mới nhất).")
    score.add_argument("--unit", help="Chỉ tính số liệu của một đơn vị (tên hoặc tên ngắn).")
    score.add_argument("--json", action="store_true")
    summary = sub.add_parser("summary", help="Tổng hợp những gì đã lưu.")
    summary.add_argument("--db")
    summary.add_argument("--json", action="store_true")
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
    return ""


def _read_file(path_text: str) -> tuple[bytes, str] | None:
    path = Path(path_text)
    if not path.is_file():
        sys.stderr.write(f"Không tìm thấy tệp: {path_text}\n")
        return None
    return path.read_bytes(), path.name


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .ingest import check_file, store_checked
    from .storage import Store

    if args.command in ("check", "import"):
        read = _read_file(args.file)
        if read is None:
            return EXIT_USAGE
        data, name = read
        store = Store(args.db) if args.db or args.command == "import" else None
        result = check_file(data, name, plan=store.current_plan() if store else None)
        outcome = None
        if args.command == "import" and result.ok:
            outcome = store_checked(store, result, data, name, user=args.user)
        if args.json:
            payload = result.as_dict()
            if outcome is not None:
                payload["import_id"] = outcome.import_id
                if result.kind == "stats":
                    payload["added"] = [list(k) for k in outcome.added]
                    payload["replaced"] = [list(k) for k in outcome.replaced]
            print(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            _print_findings(result)
            if result.ok:
                print(("ĐÃ NHẬP. " if outcome else "HỢP LỆ. ") + _describe(result))
                if outcome and result.kind == "stats":
                    print(f"Thêm {len(outcome.added)} đơn vị-tháng, thay thế {len(outcome.replaced)} đơn vị-tháng.")
            else:
                print(f"BỊ TỪ CHỐI: {len(result.findings.errors)} lỗi. Không có gì được lưu.")
        return EXIT_OK if result.ok else EXIT_REFUSED

    store = Store(args.db) if args.db else Store()
    if args.command == "score":
        return _score(store, args)
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


_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _score(store, args) -> int:
    from .scoring import score_for_period

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


def run() -> None:
    try:
        code = main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:  # never a traceback for the user; the message says what broke
        sys.stderr.write(f"Lỗi không mong đợi: {type(exc).__name__}: {exc}\n")
        code = 3
    sys.exit(code)
