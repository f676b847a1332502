"""transship analyst workspace (Streamlit): ``transship app`` or ``streamlit run app.py``.

Layout and widgets only; the logic lives in ``app_support`` (tables, figures,
uploads) over ``graph`` and ``ingest``. The store is the usual one:
``TRANSSHIP_STORE``, else ``./transship-data``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from app_support import (entities, evidence, exporting, flows, hubs, list_uploads, network, store_info, tracing,
                         uploads)
from app_support.frames import edges_for, nodes_for
from graph import queries
from graph.exports import EXPORT_FORMATS
from graph.stores import GraphStore, StoreError, open_store, resolve_location

T = TypeVar("T")

PAGES = ("Trace", "Entity", "Hubs & choke points", "Flows", "Ingest", "Export")
PLOT_CONFIG = {"scrollZoom": True, "displaylogo": False}


def run_query(what: str, query: Callable[[], T]) -> T | None:
    """Run a query for a page; show a clear error (and return None) for unknown names or bad filters."""
    try:
        return query()
    except tracing.UnknownEntity as exc:
        st.error(str(exc))
    except (ValueError, StoreError) as exc:
        st.error(f"{what} failed: {exc}")
    return None


# ---- caches --------------------------------------------------------------------------------------
@st.cache_resource(show_spinner="Opening the store…")
def get_store(location: str) -> GraphStore:
    return open_store(location, create=True)


@st.cache_resource(show_spinner="Indexing names…", max_entries=2)
def get_search_index(location: str, generation: int) -> entities.SearchIndex:
    return entities.SearchIndex.build(get_store(location))


@st.cache_data(show_spinner=False, max_entries=64)
def cached_search(location: str, generation: int, text: str) -> pd.DataFrame:
    return entities.search_entities(get_store(location), get_search_index(location, generation), text)


@st.cache_data(show_spinner="Tracing…", max_entries=32)
def cached_trace(location: str, generation: int, form: tracing.TraceForm) -> Any:
    return tracing.run_trace(get_store(location), form, get_search_index(location, generation))


@st.cache_data(show_spinner=False, max_entries=64)
def cached_paths_table(location: str, generation: int, form: tracing.TraceForm) -> pd.DataFrame:
    result = cached_trace(location, generation, form)
    return tracing.paths_table(get_store(location), result.paths)


@st.cache_data(show_spinner="Ranking intermediaries…", max_entries=16)
def cached_hubs(location: str, generation: int, form: tracing.TraceForm) -> tuple[pd.DataFrame, pd.DataFrame]:
    store = get_store(location)
    query = tracing.build_query(store, form, get_search_index(location, generation))
    return queries.hubs(store, query, top=25), queries.chokepoints(store, query, top=10)


@st.cache_data(show_spinner="Summing flows…", max_entries=32)
def cached_flows(location: str, generation: int, goods: tuple[str, ...], since: str | None, until: str | None,
                 period: str, include_text: bool) -> pd.DataFrame:
    return queries.flows(get_store(location), goods=goods, since=since, until=until, period=period,
                         include_text=include_text)


def current_store() -> tuple[GraphStore, str, int]:
    location = resolve_location(None)
    try:
        store = get_store(location)
    except StoreError as exc:
        st.error(f"Cannot open the store at {location}: {exc}")
        st.stop()
    return store, location, store_info.refresh_store(store)


# ---- shared widgets ------------------------------------------------------------------------------
def show_picture(fig: Any, key: str) -> tuple[str, str] | None:
    """Draw a network picture; return the clicked (kind, id), remembered across reruns."""
    event = st.plotly_chart(fig, key=key, on_select="rerun", selection_mode=("points",), config=PLOT_CONFIG)
    picked = network.selected_item(event)
    if picked is not None:
        st.session_state[f"{key}-picked"] = picked
    result: tuple[str, str] | None = st.session_state.get(f"{key}-picked")
    return result


def show_item_evidence(store: GraphStore, picked: tuple[str, str] | None) -> None:
    """Details and evidence of a clicked node or edge."""
    if picked is None:
        st.caption("Click a node or an edge marker (◆) in the picture to see its evidence.")
        return
    kind, item_id = picked
    details = evidence.item_details(store, kind, item_id)
    if not details:
        return
    st.markdown(f"**Selected {kind}:** {evidence.labels_of(store, [item_id])[item_id]}")
    st.json(details, expanded=False)
    st.dataframe(evidence.evidence_table(store, [item_id]).drop(columns=["id"]), hide_index=True)


def date_text(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def trace_form(key: str) -> tracing.TraceForm | None:
    """The trace form; returns the submitted values (or the last submitted ones)."""
    with st.form(f"{key}-form"):
        c1, c2, c3 = st.columns(3)
        origins = c1.text_input("Origin (names or ids)", "", key=f"{key}-origins",
                                help="Comma-separated; empty for every US maker.")
        destinations = c2.text_input("Destination (names or ids)", "", key=f"{key}-destinations",
                                     help="Comma-separated; empty for every Russian defense buyer.")
        via = c3.text_input("Via countries", "", key=f"{key}-via", help="e.g. HK, TR, AE, KZ")
        c4, c5, c6 = st.columns(3)
        goods = c4.text_input("Goods", "", key=f"{key}-goods",
                              help="HS prefixes (8542), CHPL tiers (tier:1), categories (cat:…), part numbers (pn:…)")
        max_hops = c5.slider("Max hops", 1, 8, 4, key=f"{key}-hops")
        dwell = c6.number_input("Dwell limit (days, 0 = none)", 0, 3650, 180, step=30, key=f"{key}-dwell")
        c7, c8, c9 = st.columns(3)
        since = c7.date_input("Since", None, key=f"{key}-since")
        until = c8.date_input("Until", None, key=f"{key}-until")
        min_conf = c9.slider("Min confidence", 0.0, 1.0, 0.0, 0.05, key=f"{key}-conf")
        c10, c11, c12 = st.columns(3)
        continuity = c10.selectbox("Goods continuity", tracing.CONTINUITY, key=f"{key}-continuity")
        min_value = c11.number_input("Min value (USD)", 0.0, None, 0.0, step=1000.0, key=f"{key}-value")
        include_text = c12.checkbox("Include claims from news", True, key=f"{key}-text")
        submitted = st.form_submit_button("Trace", type="primary")
    if submitted:
        st.session_state[f"{key}-submitted"] = tracing.TraceForm(
            origins=tracing.split_terms(origins), destinations=tracing.split_terms(destinations),
            via_countries=tracing.split_terms(via), goods=tracing.split_terms(goods), max_hops=int(max_hops),
            since=date_text(since), until=date_text(until), min_value=float(min_value) or None,
            dwell_days=int(dwell) or None, continuity=str(continuity), include_text=bool(include_text),
            min_confidence=float(min_conf),
        )
    form: tracing.TraceForm | None = st.session_state.get(f"{key}-submitted")
    return form


# ---- pages ---------------------------------------------------------------------------------------
def page_trace(store: GraphStore, location: str, generation: int) -> None:
    st.header("Trace")
    st.caption("Chains from US makers to Russian defense buyers, hop by hop, in time order, with evidence.")
    form = trace_form("trace")
    if form is None:
        return
    result = run_query("Trace", lambda: cached_trace(location, generation, form))
    if result is None:
        return
    if not result.paths:
        st.warning("No path matches. Loosen the filters (more hops, longer dwell, continuity 'category' or 'off').")
        return
    table = cached_paths_table(location, generation, form)
    st.subheader(f"{len(result.paths)} ranked paths" + (f" (of {result.total_found} found)"
                                                        if result.total_found > len(result.paths) else ""))
    picked_rows = st.dataframe(table, hide_index=True, on_select="rerun", selection_mode="multi-row",
                               key="trace-paths").selection.rows
    shown = [result.paths[i] for i in picked_rows] if picked_rows else list(result.paths[:10])
    st.caption("Picture of the " + (f"{len(shown)} selected paths" if picked_rows else "top 10 paths")
               + "; select rows above to change. Drag to pan, scroll to zoom.")
    node_ids, edge_ids = tracing.path_ids(shown)
    fig = network.network_figure(nodes_for(store, node_ids), edges_for(store, edge_ids),
                                 tracing.path_positions(shown))
    left, right = st.columns([3, 2])
    with left:
        picked = show_picture(fig, "trace-picture")
    with right:
        show_item_evidence(store, picked)
    st.subheader("Hops and evidence")
    hops = tracing.hops_table(store, shown)
    st.dataframe(hops.drop(columns=["edge_id"]), hide_index=True)
    st.dataframe(evidence.evidence_table(store, edge_ids).drop(columns=["id"]), hide_index=True)


def page_entity(store: GraphStore, location: str, generation: int) -> None:
    st.header("Entity")
    text = st.text_input("Search by name, alias or identifier (inn:…, uscc:…)", key="entity-query")
    if not text:
        st.caption("Type part of a name; spelling need not be exact.")
        return
    hits = cached_search(location, generation, text)
    if hits.empty:
        st.warning(f"Nothing matches {text!r}.")
        return
    labels = {row.id: f"{row.name} · {row.type} · {row.country or '?'} · {row.score:.0f}" for row in hits.itertuples()}
    chosen = st.selectbox("Matches", list(labels), format_func=labels.__getitem__, key="entity-choice")
    profile = entities.entity_profile(store, chosen)
    if profile is None:
        return
    node = profile.node
    st.subheader(f"{node.name} ({node.country or 'country unknown'})")
    c1, c2, c3 = st.columns(3)
    c1.markdown("**Identifiers**\n\n" + ("\n".join(f"- `{i}`" for i in profile.identifiers) or "none"))
    c2.markdown("**Aliases**\n\n" + ("\n".join(f"- {a}" for a in profile.aliases) or "none"))
    c3.markdown("**Roles**\n\n" + ("\n".join(f"- {r}" for r in profile.role_reasons or profile.roles) or "none"))
    st.markdown("**Listings**")
    if profile.listings.empty:
        st.caption("Not on any list in the store.")
    else:
        st.dataframe(profile.listings, hide_index=True)
    depth = st.radio("Neighbourhood depth", (1, 2), horizontal=True, key="entity-depth")
    node_ids, edge_ids = entities.neighbour_ids(store, chosen, depth=int(depth))
    st.session_state["entity-subgraph"] = (chosen, tuple(node_ids), tuple(edge_ids))
    left, right = st.columns([3, 2])
    with left:
        picked = show_picture(network.network_figure(nodes_for(store, node_ids), edges_for(store, edge_ids)),
                              "entity-picture")
    with right:
        show_item_evidence(store, picked)
    st.markdown(f"**Shipments** ({len(profile.shipments)})")
    if not profile.shipments.empty:
        st.plotly_chart(entities.shipment_timeline(profile.shipments), key="entity-timeline")
        st.dataframe(profile.shipments.drop(columns=["id"]), hide_index=True)
    st.markdown("**Evidence about this entity**")
    st.dataframe(evidence.evidence_table(store, [chosen]).drop(columns=["id"]), hide_index=True)


def page_hubs(store: GraphStore, location: str, generation: int) -> None:
    st.header("Hubs & choke points")
    st.caption("Intermediaries of the traced chains, ranked by the value they pass through, with the reasons; "
               "and what listing them would cut.")
    form = trace_form("hubs")
    if form is None:
        return
    answer = run_query("Hub ranking", lambda: cached_hubs(location, generation, form))
    if answer is None:
        return
    ranking, cuts = answer
    if ranking.empty:
        st.warning("No traced path passes through an intermediary; loosen the filters.")
        return
    st.subheader(f"Top {len(ranking)} intermediaries")
    st.dataframe(hubs.hub_table(ranking).drop(columns=["node_id"]), hide_index=True)
    st.subheader("What if they were listed?")
    st.caption("Greedy: each row is the company whose listing cuts the most remaining traced paths.")
    st.dataframe(hubs.choke_table(cuts).drop(columns=["node_id"]), hide_index=True)


def page_flows(store: GraphStore, location: str, generation: int) -> None:
    st.header("Flows")
    with st.form("flows-form"):
        c1, c2, c3, c4 = st.columns(4)
        goods = c1.text_input("Goods", "", key="flows-goods", help="HS prefixes (8542), tier:1, cat:…, pn:…")
        since = c2.date_input("Since", None, key="flows-since")
        until = c3.date_input("Until", None, key="flows-until")
        period = c4.selectbox("Period", ("month", "quarter", "year"), index=1, key="flows-period")
        include_text = st.checkbox("Include claims from news", False, key="flows-text")
        st.form_submit_button("Show flows", type="primary")
    try:
        frame = cached_flows(location, generation, tracing.split_terms(goods), date_text(since), date_text(until),
                             str(period), bool(include_text))
    except ValueError as exc:
        st.error(f"Flows failed: {exc}")
        return
    if frame.empty:
        st.warning("No dated shipments between known countries match.")
        return
    periods = sorted(frame["period"].unique())
    chosen = st.select_slider("Periods", periods, value=(periods[0], periods[-1]), key="flows-range") \
        if len(periods) > 1 else (periods[0], periods[0])
    part = frame[(frame["period"] >= chosen[0]) & (frame["period"] <= chosen[1])]
    st.plotly_chart(flows.sankey_figure(part, title=f"Country to country, {chosen[0]} – {chosen[1]} (USD)"),
                    key="flows-sankey")
    st.dataframe(part, hide_index=True)


def page_ingest(store: GraphStore, location: str, generation: int) -> None:
    st.header("Ingest")
    kind = st.radio("What are you uploading?", list(uploads.UPLOAD_KINDS), horizontal=True,
                    format_func=lambda k: uploads.UPLOAD_KINDS[k].label, key="ingest-kind")
    spec = uploads.UPLOAD_KINDS[kind]
    st.caption(f"{spec.help} Up to {uploads.MAX_UPLOAD_MB} MB per upload.")
    option = None
    if kind == "lists":
        option = st.selectbox("Kind of list", list(list_uploads.LIST_KINDS),
                              format_func=list_uploads.LIST_KIND_LABELS.__getitem__,
                              key="ingest-list-kind")
    picked = st.file_uploader("Files" if spec.multiple else "File", type=list(spec.extensions),
                              accept_multiple_files=spec.multiple, key=f"ingest-file-{kind}")
    files = [f for f in (picked if isinstance(picked, list) else [picked]) if f is not None]
    if not files:
        return
    cache_key = (tuple(f.file_id for f in files), kind, option, generation)
    cached = st.session_state.get("ingest-preview")
    if cached is not None and cached[0] == cache_key:
        preview = cached[1]
    else:
        try:
            preview = uploads.preview_files(store, kind, [(f.name, f.getvalue()) for f in files], option=option)
        except uploads.UploadError as exc:
            st.error(str(exc))
            return
        st.session_state["ingest-preview"] = (cache_key, preview)
    show_preview(preview)
    classify = kind == "lists" and st.checkbox("After committing, mark Russian defense buyers (rules with reasons)",
                                               value=True, key="ingest-classify")
    if st.button("Commit to the store", type="primary", key="ingest-commit"):
        result, quarantined = uploads.commit_upload(store, preview, uploads.default_quarantine_path(store))
        st.success(f"Committed: {result.nodes_added} nodes and {result.edges_added} edges added, "
                   f"{result.evidence_added} pieces of evidence, {quarantined} row(s) quarantined.")
        if classify:
            buyers = list_uploads.classify_buyers(store)
            st.markdown(f"**Defense buyers: {buyers['id'].nunique()}**")
            st.dataframe(buyers, hide_index=True)


def show_preview(preview: uploads.IngestPreview) -> None:
    st.subheader(f"Preview of {preview.name}")
    if preview.kind == "lists":
        st.dataframe(list_uploads.kinds_table(preview.path, preview.option), hide_index=True)
    st.dataframe(preview.summary(), hide_index=True)
    if preview.kind == "lists":
        st.markdown("**First new entities**")
        st.dataframe(preview.node_sample_table(), hide_index=True)
    st.markdown("**First edges to be added**" if preview.kind == "lists" else "**First shipments to be added**")
    st.dataframe(preview.sample_table(), hide_index=True)
    if preview.rejected:
        st.warning(f"{len(preview.rejected)} row(s) will go to quarantine instead:")
        st.dataframe(preview.quarantine_table(), hide_index=True)


def export_choices(store: GraphStore, location: str, generation: int) -> dict[str, Any]:
    """The subgraphs one can export now: the current trace result, the current neighbourhood, the whole store."""
    choices: dict[str, Any] = {}
    form = st.session_state.get("trace-submitted")
    if form is not None:
        result = cached_trace(location, generation, form)
        if result.paths:
            choices[f"Current trace result ({len(result.paths)} paths)"] = lambda: exporting.trace_subgraph(result)
    entity = st.session_state.get("entity-subgraph")
    if entity is not None:
        node_id, node_ids, edge_ids = entity
        label = evidence.labels_of(store, [node_id])[node_id]
        choices[f"Neighbourhood of {label}"] = lambda: exporting.neighbourhood_subgraph(store, node_id, node_ids,
                                                                                        edge_ids)
    choices["Whole store"] = lambda: exporting.store_subgraph(store)
    return choices


def page_export(store: GraphStore, location: str, generation: int) -> None:
    st.header("Export")
    st.caption("Download what you are looking at, with its evidence, for Gephi, yEd, Neo4j, Aleph or a report.")
    choices = export_choices(store, location, generation)
    label = st.radio("Subgraph", list(choices), key="export-choice")
    try:
        sub = choices[label]()
    except exporting.ExportTooLarge as exc:
        st.warning(str(exc))
        return
    st.markdown(f"**{sub.title}**: {len(sub.node_ids):,} nodes, {len(sub.edge_ids):,} edges"
                + (f", {len(sub.paths)} paths" if sub.paths else ""))
    for fmt in EXPORT_FORMATS.values():
        left, right = st.columns([1, 3])
        left.download_button(
            f"Download {fmt.name}", data=lambda name=fmt.name: exporting.render(store, sub, name),
            file_name=exporting.file_name(sub, fmt.name), mime=fmt.media_type, key=f"export-{fmt.name}",
            on_click="ignore")
        right.caption(f"`{fmt.extension}` · opens in {fmt.opens_in}")


PAGE_FUNCTIONS = {
    "Trace": page_trace, "Entity": page_entity, "Hubs & choke points": page_hubs, "Flows": page_flows,
    "Ingest": page_ingest, "Export": page_export,
}


def main() -> None:
    st.set_page_config(page_title="transship", page_icon=None, layout="wide")
    store, location, generation = current_store()
    with st.sidebar:
        st.title("transship")
        page = st.radio("Page", PAGES, key="page")
        st.caption(f"Store: `{location}` · generation {generation}")
        with st.expander("Store contents"):
            st.dataframe(store_info.stats_table(store), hide_index=True)
    if store_info.is_empty(store) and page != "Ingest":
        st.warning(f"The store at {location} is empty: run `transship demo`, or upload files on the Ingest page.")
    PAGE_FUNCTIONS[page](store, location, generation)


main()
