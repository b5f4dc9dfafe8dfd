"""The result checksum: sha256 of a canonical, type-tagged, length-prefixed
encoding of the results in task order (equal values, equal bytes)."""


def _encode(obj, out, active):
    """Appends a canonical, type-tagged, length-prefixed encoding of obj."""
    if obj is None:
        out.append(b"N")
    elif obj is True or obj is False:
        out.append(b"T" if obj else b"F")
    elif isinstance(obj, int):
        out.append(b"i%x;" % int(obj))  # hex: no digit limit (3.11+)
    elif isinstance(obj, float):
        out.append(b"f" + float.__repr__(obj).encode("ascii") + b";")
    elif isinstance(obj, str):
        data = str.encode(obj, "utf-8", "surrogatepass")
        out.append(b"s%d:" % len(data) + data)
    elif isinstance(obj, (bytes, bytearray)):
        out.append(b"b%d:" % len(obj) + bytes(obj))
    elif isinstance(obj, (list, tuple, dict, set, frozenset)):
        if id(obj) in active:
            out.append(b"@")  # a cycle
            return
        active.add(id(obj))
        if isinstance(obj, (list, tuple)):
            out.append(b"%s%d[" % (b"l" if isinstance(obj, list) else b"t", len(obj)))
            for item in obj:
                _encode(item, out, active)
        elif isinstance(obj, dict):
            pairs = sorted((canonical(k, active), canonical(v, active)) for k, v in obj.items())
            out.append(b"d%d[" % len(pairs))
            for k, v in pairs:
                out.append(k)
                out.append(v)
        else:
            items = sorted(canonical(x, active) for x in obj)
            out.append(b"S%d[" % len(items))
            out.extend(items)
        out.append(b"]")
        active.discard(id(obj))
    else:
        data = repr(obj).encode("utf-8", "surrogatepass")
        out.append(b"r%d:" % len(data) + data)


def canonical(obj, active=None):
    """The canonical encoding of obj (bytes): equal values, equal bytes."""
    out = []
    _encode(obj, out, set() if active is None else active)
    return b"".join(out)


def checksum(results):
    """sha256 hex of the canonical encoding of the results in task order."""
    import hashlib

    return hashlib.sha256(canonical(list(results))).hexdigest()
