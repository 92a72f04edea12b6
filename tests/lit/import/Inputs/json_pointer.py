"""JSON Pointers into a request body, for the fake platforms that resolve an
export's references (RFC 6901: `~1` is `/`, `~0` is `~`)."""


def pointer_parts(pointer):
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]


def put(document, pointer, value):
    parts = pointer_parts(pointer)
    for part in parts[:-1]:
        document = document[int(part)] if isinstance(document, list) else document[part]
    document[parts[-1]] = value
