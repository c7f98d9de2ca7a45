"""What may change in a PDF after a signature: pyHanko's rules, plus what real Vietnamese signing tools do.

Government documents are signed several times (a leader, then the agency, then a publishing unit), each
signature in its own incremental revision. Two things those tools do make pyHanko's default difference
analysis call every earlier signature "modified" (`OTHER`), although each later revision only adds and
fills signature fields (issue 10):

1. The first signature is often a *certification* signature with DocMDP P=2 ("form filling and signing
   allowed"); pyHanko by default refuses new *visible* signature fields after any certification, which
   is stricter than the standard and than Acrobat. P=2 allows signing, so we allow them.
2. The documents are tagged (Microsoft Word's PDF export), and the signing tool (iText) files each new
   signature widget in the logical structure tree: a `/Form` structure element pointing at the widget
   (an `/OBJR`) is appended to an existing element, and the `/ParentTree` number tree is rewritten with
   one more key. `StructTreeSignatureRule` accepts exactly that and nothing else: every key of the old
   parent tree must map to the same structure elements as before, new keys may only point at new `/Form`
   (or `/Annot`) elements whose only content is a new signature widget, and a changed element may only
   gain such children at the end of its `/K`. Any other change stays unexplained and fails the signature.

`GATEWAY_DIFF_POLICY` is pyHanko's default policy with these two adjustments. The structure tree drives
accessibility and text extraction, never rendering, and only these additions are accepted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import HistoricalResolver
from pyhanko.sign.diff_analysis import (
    CatalogModificationRule,
    DocInfoRule,
    DSSCompareRule,
    FormUpdatingRule,
    GenericFieldModificationRule,
    MetadataUpdateRule,
    ModificationLevel,
    ObjectStreamRule,
    QualifiedWhitelistRule,
    ReferenceUpdate,
    SigFieldCreationRule,
    SigFieldModificationRule,
    StandardDiffPolicy,
    XrefStreamRule,
)

MAX_TREE_NODES = 100_000  # a parent tree is as large as the document's tagged content, not larger
_FORM_ROLES = ("/Form", "/Annot")

Key = tuple[int, int]


def _key(obj: object) -> Key | None:
    if isinstance(obj, generic.IndirectObject):
        return obj.idnum, obj.generation
    if isinstance(obj, generic.Reference):
        return obj.idnum, obj.generation
    return None


def _number_tree(resolver: HistoricalResolver, root: object) -> tuple[dict[int, object], set[Key]]:
    """The raw values of a number tree by key, and the references of its nodes and value arrays."""
    values: dict[int, object] = {}
    refs: set[Key] = set()
    todo = [root]
    while todo:
        if len(refs) > MAX_TREE_NODES:
            raise ValueError("parent tree too large")
        raw = todo.pop()
        ref = _key(raw)
        if ref is not None:
            if ref in refs:
                continue
            refs.add(ref)
        node = raw.get_object() if isinstance(raw, generic.IndirectObject) else raw
        if not isinstance(node, generic.DictionaryObject):
            raise ValueError("number tree node is not a dictionary")
        if "/Nums" in node:
            nums = node["/Nums"]
            for i in range(0, len(nums) - 1, 2):
                value = nums.raw_get(i + 1)
                values[int(nums[i])] = value
                vref = _key(value)
                if vref is not None and isinstance(value.get_object(), generic.ArrayObject):
                    refs.add(vref)
        if "/Kids" in node:
            todo.extend(node["/Kids"].raw_get(i) for i in range(len(node["/Kids"])))
    return values, refs


def _get(d: generic.DictionaryObject, key: str) -> Any:
    """`d[key]`, dereferenced (pyHanko's `get` may hand back an indirect reference), or None."""
    return d[key] if key in d else None


def _same_value(old: object, new: object) -> bool:
    """Two parent-tree values name the same structure elements (arrays may be rewritten as new objects)."""
    old_obj = old.get_object() if isinstance(old, generic.IndirectObject) else old
    new_obj = new.get_object() if isinstance(new, generic.IndirectObject) else new
    if isinstance(old_obj, generic.ArrayObject) and isinstance(new_obj, generic.ArrayObject):
        if len(old_obj) != len(new_obj):
            return False
        return all(
            _key(old_obj.raw_get(i)) == _key(new_obj.raw_get(i))
            and (_key(old_obj.raw_get(i)) is not None or old_obj[i] == new_obj[i])
            for i in range(len(old_obj))
        )
    return _key(old) is not None and _key(old) == _key(new)


def _new_signature_widgets(old: HistoricalResolver, new: HistoricalResolver) -> set[Key]:
    """Widgets of the signature fields that this revision added to the form."""

    def widgets(resolver: HistoricalResolver) -> set[Key]:
        found: set[Key] = set()
        root = resolver.root
        if "/AcroForm" not in root or "/Fields" not in root["/AcroForm"]:
            return found
        fields = root["/AcroForm"]["/Fields"]
        for i in range(len(fields)):
            raw = fields.raw_get(i)
            field = raw.get_object()
            if not isinstance(field, generic.DictionaryObject) or _get(field, "/FT") != "/Sig":
                continue
            kids = _get(field, "/Kids")
            if kids is None:
                if _key(raw) is not None:
                    found.add(_key(raw))  # type: ignore[arg-type]
            else:
                found |= {k for k in (_key(kids.raw_get(j)) for j in range(len(kids))) if k is not None}
        return found

    return widgets(new) - widgets(old)


def _signature_form_element(new: HistoricalResolver, raw: object, widgets: set[Key], key: int) -> bool:
    """A new `/Form` structure element whose only kid is an OBJR to one of `widgets`, bound to `key`."""
    elem = raw.get_object() if isinstance(raw, generic.IndirectObject) else None
    if not isinstance(elem, generic.DictionaryObject) or _get(elem, "/S") not in _FORM_ROLES:
        return False
    kid = _get(elem, "/K")
    if isinstance(kid, generic.ArrayObject) and len(kid) == 1:
        kid = kid[0]
    if not isinstance(kid, generic.DictionaryObject) or _get(kid, "/Type") != "/OBJR":
        return False
    target = _key(kid.raw_get("/Obj"))
    if target not in widgets:
        return False
    widget = new(generic.Reference(target[0], target[1]))
    return isinstance(widget, generic.DictionaryObject) and _get(widget, "/StructParent") == key


class StructTreeSignatureRule(QualifiedWhitelistRule):
    """Approve the structure-tree bookkeeping of new signature widgets (see the module docstring)."""

    def apply_qualified(
        self, old: HistoricalResolver, new: HistoricalResolver
    ) -> Iterable[tuple[ModificationLevel, ReferenceUpdate]]:
        try:
            return list(self._approved(old, new))
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return []  # not the expected shape: nothing approved, pyHanko reports the changes

    def _approved(
        self, old: HistoricalResolver, new: HistoricalResolver
    ) -> Iterator[tuple[ModificationLevel, ReferenceUpdate]]:
        old_raw, new_raw = old.root.raw_get("/StructTreeRoot"), new.root.raw_get("/StructTreeRoot")
        tree_ref = _key(new_raw)
        if tree_ref is None or tree_ref != _key(old_raw):
            return
        changed = {(r.idnum, r.generation) for r in new.explicit_refs_in_revision()}
        old_tree, new_tree = old_raw.get_object(), new_raw.get_object()
        for k in set(old_tree) | set(new_tree):
            if k not in ("/ParentTree", "/ParentTreeNextKey", "/K") and old_tree.raw_get(k) != new_tree.raw_get(k):
                return
        old_values, _ = _number_tree(old, old_tree.raw_get("/ParentTree"))
        new_values, tree_refs = _number_tree(new, new_tree.raw_get("/ParentTree"))
        if any(k not in new_values or not _same_value(v, new_values[k]) for k, v in old_values.items()):
            return
        widgets = _new_signature_widgets(old, new)
        added: set[Key] = set()
        for k, value in new_values.items():
            if k in old_values:
                continue
            ref = _key(value)
            if ref is None or not _signature_form_element(new, value, widgets, k):
                return
            added.add(ref)
        next_key = _get(new_tree, "/ParentTreeNextKey")
        if next_key is not None and new_values and int(next_key) <= max(new_values):
            return
        # structure elements (or the tree root) that changed: they may only gain the new elements
        parents: set[Key] = set()
        for ref in added:
            parent = _key(new(generic.Reference(*ref)).raw_get("/P"))
            if parent is None or parent not in changed:
                continue
            if parent != tree_ref and not _only_appended(old, new, parent, added):
                return
            parents.add(parent)
        if tree_ref in changed and not _only_appended(
            old, new, tree_ref, added, extra=("/ParentTree", "/ParentTreeNextKey")
        ):
            return
        # pyHanko compares each later revision with the signed one: approve what this revision wrote
        approved = changed & (tree_refs | added | parents | {tree_ref})
        for ref in sorted(approved):
            yield ModificationLevel.FORM_FILLING, ReferenceUpdate(generic.Reference(*ref, pdf=new))


def _kids(elem: generic.DictionaryObject) -> list[object]:
    kids = elem.raw_get("/K") if "/K" in elem else None
    if kids is None:
        return []
    value = kids.get_object() if isinstance(kids, generic.IndirectObject) else kids
    if isinstance(value, generic.ArrayObject):
        return [value.raw_get(i) for i in range(len(value))]
    return [kids]


def _only_appended(
    old: HistoricalResolver, new: HistoricalResolver, ref: Key, added: set[Key], extra: tuple[str, ...] = ()
) -> bool:
    """`ref`'s dictionary is unchanged but for new elements of `added` appended to `/K`."""
    before, after = old(generic.Reference(*ref)), new(generic.Reference(*ref))
    if not isinstance(before, generic.DictionaryObject) or not isinstance(after, generic.DictionaryObject):
        return False
    for k in set(before) | set(after):
        if k != "/K" and k not in extra and before.raw_get(k) != after.raw_get(k):
            return False
    old_kids, new_kids = _kids(before), _kids(after)
    if [_key(k) or k for k in new_kids[: len(old_kids)]] != [_key(k) or k for k in old_kids]:
        return False
    return all(_key(k) in added for k in new_kids[len(old_kids) :])


GATEWAY_DIFF_POLICY = StandardDiffPolicy(
    global_rules=[
        CatalogModificationRule(),
        DocInfoRule().as_qualified(ModificationLevel.LTA_UPDATES),
        XrefStreamRule().as_qualified(ModificationLevel.LTA_UPDATES),
        ObjectStreamRule().as_qualified(ModificationLevel.LTA_UPDATES),
        DSSCompareRule().as_qualified(ModificationLevel.LTA_UPDATES),
        MetadataUpdateRule().as_qualified(ModificationLevel.LTA_UPDATES),
        StructTreeSignatureRule(),
    ],
    form_rule=FormUpdatingRule(
        field_rules=[
            SigFieldCreationRule(allow_new_visible_after_certify=True),
            SigFieldModificationRule(),
            GenericFieldModificationRule(),
        ],
    ),
)
