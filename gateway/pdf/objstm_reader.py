"""A pyHanko reader that indexes each object stream once.

pyHanko 0.38 reads an object out of an object stream by decoding the stream and scanning its header from
the start, every time. Tagged government documents keep thousands of structure elements in object
streams, and the difference analysis of a multi-signature file reads all of them for every later
revision: about 40 seconds per signature on a real 9,700-object decree (issue 10). Indexing each stream
once (object number → offset) brings that down to a few seconds, with the same results and the same
strictness: the object is parsed by pyHanko's own `read_object`, from the same decoded bytes, under the
same decode limits.

The pyHanko version is pinned (`pyproject.toml`); this overrides one internal method,
`PdfFileReader._get_object_from_stream`, whose contract is unchanged.
"""

from __future__ import annotations

from io import BytesIO

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.reader import PdfFileReader


class _ObjectStream:
    """One decoded object stream and where each object starts in it."""

    def __init__(self, data: bytes, first: int, count: int):
        self.data = data
        self.count = count
        self.offsets: dict[int, tuple[int, int]] = {}  # object number → (index, absolute offset)
        self.corrupt = False
        buf = BytesIO(data)
        for i in range(count):
            try:
                misc.read_non_whitespace(buf, seek_back=True)
                objnum = generic.NumberObject.read_from_stream(buf)
                misc.read_non_whitespace(buf, seek_back=True)
                offset = generic.NumberObject.read_from_stream(buf)
                misc.read_non_whitespace(buf, seek_back=True)
            except ValueError:
                self.corrupt = True
                return
            self.offsets.setdefault(int(objnum), (i, first + int(offset)))


class IndexedPdfFileReader(PdfFileReader):
    """`PdfFileReader` with an index per object stream (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._objstm_index: dict[int, _ObjectStream] = {}

    def _object_stream(self, stmnum: int) -> _ObjectStream:
        cached = self._objstm_index.get(stmnum)
        if cached is None:
            stream = generic.Reference(stmnum, 0, self).get_object()
            assert isinstance(stream, generic.StreamObject)
            assert stream["/Type"] == "/ObjStm"
            data = stream.read_data(DecodePurpose.OBJECT_STREAM)
            cached = _ObjectStream(data, int(stream["/First"]), int(stream["/N"]))
            self._objstm_index[stmnum] = cached
        return cached

    def _get_object_from_stream(self, idnum, stmnum, idx):
        stream = self._object_stream(stmnum)
        if not (0 <= idx < stream.count):
            if self.strict:
                raise misc.PdfStrictReadError("Object stream does not contain index")
            return generic.NullObject()
        found = stream.offsets.get(idnum)
        if found is None:
            if stream.corrupt and self.strict:
                raise misc.PdfStrictReadError("Object stream header possibly corrupted")
            if self.strict:
                raise misc.PdfStrictReadError("Object not found in stream, this is a fatal error in strict mode")
            return generic.NullObject()
        index, start = found
        if self.strict and index != idx:
            raise misc.PdfStrictReadError("Object is in wrong index.")
        buf = BytesIO(stream.data)
        buf.seek(start)
        try:
            obj = generic.read_object(buf, generic.Reference(idnum, 0, self))
        except (misc.PdfStreamError, misc.PdfReadError) as e:
            if self.strict:
                raise misc.PdfStrictReadError(f"Can't read object stream: {e}") from e
            obj = generic.NullObject()
        if isinstance(obj, generic.StreamObject | generic.IndirectObject) and self.strict:
            raise misc.PdfStrictReadError("Encountered forbidden object type in object stream")
        return obj
