"""Figures as the tables show them."""


def fmt_ms(value):
    """Milliseconds: one decimal below 100, none above; "-" for none."""
    if value is None:
        return "-"
    return "%.1f" % value if value < 100 else "%.0f" % value


def table(rows, header):
    """`rows` under `header`, in columns as wide as their widest cell."""
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths)).rstrip()]
    for r in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    return "\n".join(lines)
