"""Every word `neighctl explain` prints in English (facts: catalogue.py, predictions.py).

The names are the same in every language module (see words.py); MSG
sentences take ``{fact}`` fields that predictions.py and entry.py provide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neighctl.explain.words import StateWords

TEXT: dict[str, StateWords] = {
    "INCOMPLETE": {
        "summary": "resolving: solicitations sent, no answer yet; packets are queued",
        "meaning": (
            "The kernel has a packet for this neighbour but no link-layer address. It "
            "broadcasts ARP requests (IPv6: multicasts neighbour solicitations), one "
            "every retrans_time, and holds the packets meanwhile."
        ),
        "entry": (
            "A packet is sent to an address with no entry (NONE) or a FAILED one. "
            "Also `ip neigh add/replace ... nud incomplete`, which starts no timer."
        ),
        "transitions": {
            "reply": "a unicast reply to our solicitation arrives (the address is confirmed)",
            "heard": (
                "the neighbour's own request or a broadcast reply arrives: we learn the "
                "address without proof that it can hear us"
            ),
            "no_reply": (
                "no answer to mcast_solicit (+ app_solicit) solicitations, one per "
                "retrans_time; the queued packets are dropped and senders get "
                "'host unreachable'"
            ),
        },
        "traffic": (
            "No. Packets are queued (up to unres_qlen_bytes per entry) and sent when the "
            "address resolves."
        ),
        "gc": "No: an entry with a running timer is never collected.",
        "advice": [
            "A short INCOMPLETE is normal. One that keeps coming back means nobody on "
            "the link answers for this address: a host that is down, the wrong subnet "
            "or VLAN, or a firewall dropping ARP/ND.",
            "Check with `arping -I DEV ADDR` (IPv6: `ndisc6 ADDR DEV`) and tcpdump on "
            "the interface.",
            "An entry set with `ip neigh add/replace ... nud incomplete` has no timer: "
            "it sends no solicitation, never fails and is never collected by periodic "
            "GC; packets sent to it wait in its queue. It takes an address only when "
            "the neighbour itself names it: a request, a broadcast ARP reply or an "
            "unsolicited advertisement makes it STALE, a unicast ARP reply or a "
            "solicited advertisement REACHABLE.",
        ],
    },
    "REACHABLE": {
        "summary": "confirmed recently: the neighbour proved it is there",
        "meaning": (
            "The address was confirmed less than reachable_time ago, by a unicast reply "
            "to a solicitation or by an upper layer (TCP making progress, MSG_CONFIRM). "
            "Packets go out at once."
        ),
        "entry": (
            "A solicited unicast reply (from INCOMPLETE, DELAY or PROBE), a confirmation "
            "during DELAY, or `ip neigh add/replace ... nud reachable`."
        ),
        "transitions": {
            "expired": (
                "reachable_time after the last confirmation, if the entry was not used "
                "in the last delay_first_probe_time. Packets sent over a cached header "
                "do not count as use, so under steady traffic it still turns STALE, "
                "and the next packet makes it DELAY at once"
            ),
            "expired_used": (
                "reachable_time after the last confirmation, if the kernel recorded a "
                "use within delay_first_probe_time. Becoming REACHABLE counts as a use, "
                "so this is the way out whenever reachable_time is shorter than "
                "delay_first_probe_time"
            ),
            "new_lladdr": (
                "the neighbour announces a different link-layer address (ARP: only once "
                "locktime has passed since the last update): the new address is taken, "
                "unconfirmed"
            ),
        },
        "traffic": "Yes.",
        "gc": "No: a timer is running.",
        "advice": [
            "Nothing to do. reachable_time is drawn again at random every 300 s and when "
            "base_reachable_time is written, so entries on one interface expire after "
            "different times on different days.",
        ],
    },
    "STALE": {
        "summary": "address known but unconfirmed: still used, checked on next use",
        "meaning": (
            "The link-layer address is known but has not been confirmed for a while "
            "(or was learnt from the neighbour's own request, without proof that it can "
            "hear us). STALE has no timer: nothing happens until a packet is sent."
        ),
        "entry": (
            "REACHABLE ran out of reachable_time; or the neighbour's ARP request / "
            "neighbour solicitation / unsolicited advertisement told us its address; "
            "or `ip neigh add ... nud stale`."
        ),
        "transitions": {
            "send": (
                "a packet is sent to it: it goes out at once to the cached address and "
                "the entry moves to DELAY"
            ),
            "reply": "a solicited unicast reply arrives (e.g. after `arping`)",
            "gc": (
                "periodic garbage collection, once unused for gc_stale_time and "
                "unreferenced, but only while the table holds at least gc_thresh1 "
                "entries; forced collection above gc_thresh2/gc_thresh3"
            ),
        },
        "traffic": "Yes, to the cached address; the first packet starts a re-check (DELAY).",
        "gc": (
            "Yes, when unused for gc_stale_time and unreferenced, but only while the "
            "table holds at least gc_thresh1 entries (counting every namespace)."
        ),
        "advice": [
            "STALE is healthy; it is not an error. Small tables keep STALE entries "
            "forever, because periodic GC does nothing below gc_thresh1 (128 by "
            "default) entries.",
            "If the neighbour changed its MAC without announcing it, the first packets "
            "go to the old MAC until PROBE finds out, a few seconds later. To drop the "
            "entry now: `neighctl del ADDR --dev DEV`.",
        ],
    },
    "DELAY": {
        "summary": "used while unconfirmed: waiting briefly for an upper layer to confirm",
        "meaning": (
            "A packet was sent to a STALE entry. The kernel sends no probe yet: it waits "
            "delay_first_probe_time for a confirmation from an upper layer (TCP ACKs "
            "that advance, MSG_CONFIRM), which would spare the probe."
        ),
        "entry": (
            "A packet is sent to a STALE entry; rarely, REACHABLE expiring right after "
            "a recorded use."
        ),
        "transitions": {
            "confirmed": (
                "confirmed within delay_first_probe_time (e.g. by TCP): back to "
                "REACHABLE without sending a probe"
            ),
            "unconfirmed": (
                "no confirmation within delay_first_probe_time: the first unicast probe goes out"
            ),
        },
        "traffic": "Yes, to the cached address.",
        "gc": "No: a timer is running.",
        "advice": [
            "Normal after a quiet period. Unlike what many guides say, DELAY sends "
            "nothing; probes are sent in PROBE.",
        ],
    },
    "PROBE": {
        "summary": "re-checking: unicast probes sent to the cached address",
        "meaning": (
            "No confirmation came during DELAY. The kernel sends unicast solicitations "
            "to the cached address, one every retrans_time (then mcast_resolicit "
            "broadcast ones, 0 by default)."
        ),
        "entry": "DELAY ran out of delay_first_probe_time without a confirmation.",
        "transitions": {
            "reply": "a reply to a probe arrives",
            "no_reply": (
                "no reply to ucast_solicit + app_solicit + mcast_resolicit probes, one "
                "per retrans_time"
            ),
        },
        "traffic": "Yes, to the cached address, while probing.",
        "gc": "No: a timer is running.",
        "advice": [
            "Short PROBE phases are normal. Entries that keep failing from PROBE mean a "
            "neighbour that went away or changed its MAC; check the host, or the switch "
            "if it answers broadcasts but not unicast.",
        ],
    },
    "FAILED": {
        "summary": "resolution failed: nobody answered; packets are dropped",
        "meaning": (
            "Solicitations went unanswered. The entry has no address and no timer; it "
            "stays to remember the failure until it is used again or collected."
        ),
        "entry": "INCOMPLETE or PROBE ran out of probes, or `ip neigh add ... nud failed`.",
        "transitions": {
            "send": (
                "a packet is sent to it: resolution starts again (INCOMPLETE, "
                "mcast_solicit broadcasts)"
            ),
            "heard": (
                "the neighbour's own request arrives (a unicast reply would make it "
                "REACHABLE instead)"
            ),
            "gc": (
                "the next periodic GC pass (FAILED is collected whatever its age) while "
                "the table holds at least gc_thresh1 entries; forced GC frees it even "
                "when just updated"
            ),
        },
        "traffic": "No: packets trigger a new resolution and are dropped if it fails again.",
        "gc": (
            "Yes, at the next pass, but only while the table holds at least gc_thresh1 "
            "entries; below that, FAILED entries stay until used or deleted."
        ),
        "advice": [
            "Something keeps sending to an address that does not answer: a deleted pod "
            "or VM, a dead node, a stale Service endpoint, a scan. Find the sender "
            "(`tcpdump -ni DEV arp or icmp6`) rather than flushing.",
            "On busy Kubernetes nodes (Calico, flannel) thousands of FAILED entries are "
            "a symptom, not the overflow itself: once the table passes gc_thresh2, "
            "forced GC frees them even when just updated (other entries only when not "
            "updated for 5 s). 'neighbor table overflow!' in dmesg (table_fulls "
            "in `ip -s ntable show`) means the entries GC cannot free (in use, or "
            "updated in the last 5 s) exceed gc_thresh3. Raise gc_thresh1/2/3 (host "
            "namespace only) if the node really has that many neighbours.",
        ],
    },
    "NOARP": {
        "summary": "no resolution needed: the kernel never probes it",
        "meaning": (
            "The address needs no ARP/ND: multicast and broadcast addresses, loopback, "
            "point-to-point and NOARP devices (tunnels such as tunl0, wireguard). The "
            "entry is valid without checks."
        ),
        "entry": ("Created by the kernel for such destinations, or `ip neigh add ... nud noarp`."),
        "transitions": {
            "admin": "an administrator replaces or deletes it (received packets never change it)",
            "gc": "garbage collection once unused for gc_stale_time (or forced GC)",
        },
        "traffic": "Yes.",
        "gc": (
            "Yes: unlike PERMANENT it is not protected (periodic GC after gc_stale_time "
            "unused; forced GC at once)."
        ),
        "advice": [
            "Hidden by `ip neigh show` (and `neighctl show`) unless you ask for "
            "`nud all` / `--state all`. Nothing to do.",
        ],
    },
    "PERMANENT": {
        "summary": "static: set by an administrator or an agent; never checked or aged",
        "meaning": (
            "A static entry. The kernel never probes it, never times it out, never "
            "collects it, and ignores ARP/ND packets that claim another address."
        ),
        "entry": (
            "`ip neigh add/replace` without `nud` (or `nud permanent`), `arp -s`, or an "
            "agent: Calico's felix for local workloads, flanneld for remote VTEPs."
        ),
        "transitions": {
            "admin": "an administrator or agent deletes or replaces it",
            "ifdown": (
                "its device goes down, is deleted or changes its MAC (a carrier loss keeps it)"
            ),
        },
        "traffic": "Yes, to the configured address, even if it is wrong.",
        "gc": "No, never.",
        "advice": [
            "A PERMANENT entry with a wrong MAC is a silent blackhole: the kernel will not "
            "correct it. After a VTEP (flannel.1, vxlan) was recreated on the remote node, "
            "the static entry here still holds the old VTEP MAC until the agent rewrites "
            "it: restart the agent or `ip neigh replace ADDR lladdr NEWMAC dev DEV`, "
            "and check `bridge fdb show dev DEV`.",
        ],
    },
    "NONE": {
        "summary": "created but never resolved: no state yet",
        "meaning": (
            "An entry that exists but has never been resolved: created by a lookup that "
            "did not send a packet, or by `ip neigh add ... nud none`. `ip neigh show` "
            "prints no state word for it."
        ),
        "entry": (
            "Kernel lookups that create without sending; `managed` entries before their "
            "first probe; `ip neigh add ... nud none`."
        ),
        "transitions": {
            "send": "a packet is sent to it: resolution starts (INCOMPLETE)",
            "heard": (
                "the neighbour's own request arrives (a unicast reply would make it "
                "REACHABLE instead)"
            ),
            "gc": "garbage collection once unused for gc_stale_time",
        },
        "traffic": "No: the first packet starts resolution.",
        "gc": "Yes, like STALE (unused for gc_stale_time, table at least gc_thresh1).",
        "advice": ["Hidden unless `--state all`. Short-lived and harmless."],
    },
}

PARAMS: dict[str, str] = {
    "base_reachable_time": "REACHABLE lasts a random 0.5-1.5 x this after each confirmation",
    "retrans_time": "interval between solicitations/probes",
    "delay_first_probe_time": "how long DELAY waits for an upper-layer confirmation",
    "gc_stale_time": "an unused entry may be collected after this",
    "ucast_solicit": "unicast probes in PROBE",
    "mcast_solicit": "broadcast/multicast solicitations in INCOMPLETE",
    "app_solicit": "requests passed to a user-space daemon (arpd) before broadcasting",
    "mcast_resolicit": "broadcast probes after the unicast ones in PROBE",
    "locktime": "ARP ignores a different address for this long after an update",
    "proxy_delay": "delay before answering a proxied ARP request",
    "anycast_delay": "max random delay before answering a solicitation for an anycast address",
    "proxy_qlen": "queue length for delayed proxy answers",
    "unres_qlen_bytes": "bytes queued per unresolved entry",
    "interval_probe_time_ms": (
        "probe interval for `managed` entries; the kernel uses only the table default's"
    ),
    "gc_thresh1": "periodic GC does nothing while the table has fewer entries",
    "gc_thresh2": "soft limit: forced GC when above it (at most every 5 s)",
    "gc_thresh3": "hard limit: beyond it, new entries fail (table overflow)",
}

FLAGS: dict[str, str] = {
    "router": (
        "marked as an IPv6 router: the R bit of the neighbour's advertisements sets "
        "this, and so does `ip neigh add/replace ... router`"
    ),
    "router_by_hand": (
        "set by hand or by an agent (`ip neigh ... router`): advertisements never "
        "change a PERMANENT or NOARP entry, and ARP has no router bit"
    ),
    "router_proxy": "our proxied neighbour advertisements for this address carry the R bit",
    "proxy": (
        "a proxy entry: it asks the kernel to answer ARP/ND requests for this address "
        "on {dev} (whether it does: Answers)"
    ),
    "proxy_any": (
        "a proxy entry without a device: it asks the kernel to answer ARP requests "
        "for this address on any device (whether it does: Answers)"
    ),
    "extern_learn": (
        "learnt and managed by something outside the kernel (EVPN, a switch driver, "
        "an agent such as Cilium); never collected, and not counted against gc_thresh2/3"
    ),
    "managed": (
        "the kernel keeps it resolved on its own, probing every interval_probe_time_ms "
        "(Cilium uses this for node neighbours)"
    ),
    "offload": "the entry is programmed in hardware (a switch ASIC)",
    "extern_valid": (
        "validated by something outside the kernel (an EVPN daemon): the kernel never "
        "removes or invalidates it; it may probe it, and returns it to STALE when a probe "
        "gets no answer"
    ),
}

LABELS: dict[str, str] = {
    "state": "State",
    "ages": "Ages",
    "next": "Next",
    "flags": "Flags",
    "answers": "Answers",
    "pattern": "Pattern",
    "note": "Note",
    "meaning": "Meaning",
    "entry": "Gets in",
    "leaves": "Leaves",
    "traffic": "Traffic",
    "gc": "GC",
    "advice": "Advice",
    "timers": "Timers:",
}

MSG: dict[str, str] = {
    "list_sep": ", ",
    "sep": "; ",
    # explain STATE and the overview
    "overview_title": "Neighbour (ARP/NDP) states; `neighctl explain STATE` for one.",
    "leave": "{to}: {trigger}",
    "leave_timed": "{to}, {when}: {trigger}",
    "deleted": "deleted",
    "on": "On {where}, ",
    "default_where": "By kernel default, ",
    "where": "{dev} ({fam})",
    "dev_unknown": "DEV",  # a device the source does not show
    "where_head": "{where}:",
    "when_on": "{when} on {where}",
    "fam4": "IPv4",
    "fam6": "IPv6",
    "defaults_note": "These are kernel defaults; give --dev DEV for an interface's own values.",
    "differs": "Differs from the kernel default: {items}.",
    "differs_item": "{name} {value} (default {default})",
    "all_default": "All values are the kernel defaults.",
    "table": (
        "Table {name} (whole kernel, every namespace): {entries}gc_thresh1 {t1}, "
        "gc_thresh2 {t2}, gc_thresh3 {t3}{fulls}. Periodic GC runs only while the "
        "table holds at least gc_thresh1 entries of any kind; the overflow check "
        "compares only the entries GC may remove (not PERMANENT, extern_learn or on "
        "loopback) with gc_thresh2 and gc_thresh3."
    ),
    "table_entries": "{n} entries now (PERMANENT, extern_learn and loopback included), ",
    "table_fulls": ", {n} table overflows so far",
    "s": "{v} s",
    "t_reachable": "after {lo}–{hi} s (base_reachable_time {base} s × 0.5–1.5{now})",
    "t_now": "; now {rt} s",
    "t_delay": "after {d} s (delay_first_probe_time)",
    "t_probes": "after about {total} s ({n} × retrans_time {r} s)",
    "t_at_once": "at once ({n} probes configured)",
    "t_gc": "after {g} s unused (gc_stale_time), only with ≥ {t1} entries (gc_thresh1)",
    "t_gc_now": "at the next GC pass, only with ≥ {t1} entries (gc_thresh1)",
    "h_INCOMPLETE": (
        "INCOMPLETE lasts about {inc} s ({ninc} solicitations every {r} s), then FAILED."
    ),
    "h_REACHABLE": "REACHABLE lasts {lo}–{hi} s (base_reachable_time {base} s){now}.",
    "h_now": "; the current draw is {rt} s",
    "h_STALE": (
        "STALE lasts until the next packet (then DELAY for {d} s) or garbage "
        "collection (after {g} s unused, only with at least {t1} entries in the table)."
    ),
    "h_DELAY": "DELAY lasts {d} s (delay_first_probe_time), then REACHABLE or PROBE.",
    "h_PROBE": (
        "PROBE lasts about {prb} s ({nprb} probes every {r} s), then FAILED "
        "unless the neighbour answers."
    ),
    "h_FAILED": (
        "FAILED lasts until the next packet (then INCOMPLETE for about {inc} s) "
        "or the next GC pass (only with at least {t1} entries in the table)."
    ),
    "h_NOARP": (
        "NOARP has no timer; GC may delete it after {g} s unused (only with at "
        "least {t1} entries in the table)."
    ),
    "h_PERMANENT": "PERMANENT has no timer and is never collected.",
    "h_NONE": (
        "NONE lasts until the next packet (then INCOMPLETE) or garbage collection "
        "(after {g} s unused, only with at least {t1} entries in the table)."
    ),
    # explain ADDR
    "no_ages": "not known (the source has no `-s` ages)",
    "proxy_ages": "none: a proxy entry keeps no ages, no state and no link-layer address",
    "ages": "used {used} s ago, confirmed {confirmed} s ago, updated {updated} s ago",
    "ages_unconfirmed": "used {used} s ago, never confirmed, updated {updated} s ago",
    "probes": "probes {n}",
    "ref": "ref {n}",
    "ambiguous": (
        "one of {states}: the source (/proc/net/arp or net-tools `arp`) only records "
        "whether the entry was resolved, not which state it was in"
    ),
    "ambiguous_next": (
        "cannot be predicted from this source; `neighctl explain STATE` describes each "
        "of {states}, and `ip neigh` on the node tells which one it is"
    ),
    "defaults_used": "timers are the kernel defaults, not this interface's own values",
    "gc_active": " The table holds {entries} entries now (at least {t1}), so GC is active.",
    "gc_idle": " The table holds {entries} entries now (fewer than {t1}), so GC leaves it alone.",
    "gc_extern": " extern_learn: garbage collection never removes it.",
    "reach_live": (
        "turns STALE in about {left} s unless confirmed again (reachable_time on "
        "{dev} is now {rt} s); the next packet after that makes it DELAY"
    ),
    "reach_delay": (
        "turns DELAY in about {left} s unless confirmed again (reachable_time on "
        "{dev} is now {rt} s; its last use, {used} s ago, will still be within "
        "delay_first_probe_time {d} s), then PROBE {d} s later unless confirmed"
    ),
    "reach_range": (
        "turns STALE within {earliest}–{latest} s unless confirmed again (reachable_time "
        "is 0.5–1.5 × base_reachable_time {base} s)"
    ),
    "reach_noage": "turns STALE {lo}–{hi} s after its last confirmation",
    "stale_send": (
        "stays STALE until the next packet to it, which goes out at once and makes "
        "it DELAY for {d} s (then REACHABLE if confirmed, else PROBE)"
    ),
    "stale_gc": (
        "or garbage collection once unused for gc_stale_time {g} s (unused for {used} s "
        "now), and periodic GC only runs while the table holds at least gc_thresh1 = "
        "{t1} entries.{gc_now}"
    ),
    "stale_gc_due": (
        "or garbage collection: unused for {used} s, longer than gc_stale_time {g} s, "
        "so a periodic GC pass deletes it as long as its ref is 0; periodic GC only "
        "runs while the table holds at least gc_thresh1 = {t1} entries.{gc_now}"
    ),
    "stale_gc_noage": (
        "or garbage collection once unused for gc_stale_time {g} s, and periodic GC "
        "only runs while the table holds at least gc_thresh1 = {t1} entries.{gc_now}"
    ),
    "delay": (
        "in about {left} s: REACHABLE if an upper layer (TCP) confirms it by then, "
        "else PROBE (unicast probes every {r} s)"
    ),
    "probing": (
        "{sent} of {total} probes sent; FAILED in about {left} s unless the "
        "neighbour answers (REACHABLE as soon as it does): each probe is followed "
        "by a full retrans_time ({r} s) of waiting"
    ),
    "probing_unknown": (
        "FAILED within about {latest} s unless the neighbour answers ({total} probes, "
        "one every {r} s; the source does not say how many were sent)"
    ),
    "incomplete_set_by_hand": (
        "nothing by itself: it was set INCOMPLETE by hand (probes {probes}: no "
        "solicitation was ever sent) and no timer runs; it will neither fail nor be "
        "collected by periodic GC, and packets sent to it wait in its queue"
    ),
    "incomplete_overdue": (
        "nothing by itself: last updated {updated} s ago, long past the {inc} s a "
        "resolution takes, so no timer runs (it was set INCOMPLETE by hand); it will "
        "neither fail nor be collected by periodic GC, and packets sent to it wait in "
        "its queue"
    ),
    "incomplete_heard": (
        "STALE when the neighbour itself sends an ARP request or neighbour solicitation, "
        "a broadcast ARP reply or an unsolicited neighbour advertisement naming its "
        "address; the queued packets then go out"
    ),
    "incomplete_reply": (
        "REACHABLE instead if a unicast ARP reply or a solicited neighbour "
        "advertisement for it arrives (the kernel cannot tell that nobody asked). "
        "`neighctl del {dst} --dev {dev}` removes it"
    ),
    "failed_send": (
        "stays FAILED until a packet is sent to it: then INCOMPLETE again, about "
        "{inc} s of solicitations"
    ),
    "failed_gc": (
        "or deleted at the next GC pass, which only runs while the table holds at "
        "least gc_thresh1 = {t1} entries.{gc_now}"
    ),
    "permanent": (
        "nothing: the kernel never probes, ages or collects it; only `ip neigh "
        "del/replace` (or its device going down) removes it"
    ),
    "noarp": (
        "nothing: no probes, no timer; GC may delete it once unused for "
        "gc_stale_time {g} s (table at least {t1} entries).{gc_now}"
    ),
    "none": (
        "INCOMPLETE at the next packet sent to it; otherwise GC after gc_stale_time "
        "{g} s unused.{gc_now}"
    ),
    "proxy": (
        "nothing: a proxy entry has no state and no timers; it stays until "
        "`ip neigh del proxy {dst} dev {dev}` (or its device goes away)"
    ),
    "managed": (
        "managed: the kernel re-resolves it by itself every {interval} s "
        "(interval_probe_time_ms), without traffic"
    ),
    "proxy_any": (
        "nothing: a proxy entry has no state and no timers; it stays until "
        "`ip neigh del proxy {dst}`"
    ),
    # whether a proxy entry answers
    "answers_yes": "yes: {why}",
    "answers_no": "no: {why}",
    "proxy_state": "no state: a proxy entry only tells the kernel to answer for this address",
    "answers_v6_yes": (
        "forwarding is 1 on {dev} and proxy_ndp is 1 ({proxy_ndp_where}), so "
        "the kernel answers neighbour solicitations for {dst} on {dev}"
    ),
    "answers_v6_no_forwarding": (
        "forwarding is 0 on {dev}, and the kernel answers neighbour solicitations "
        "for proxy entries only on a forwarding device "
        "(`sysctl -w net.ipv6.conf.{dev}.forwarding=1`)"
    ),
    "answers_v6_no_proxy_ndp": (
        "proxy_ndp is 0 on {dev} and on all; it must be 1 on one of them "
        "(`sysctl -w net.ipv6.conf.{dev}.proxy_ndp=1`)"
    ),
    "answers_v6_unknown": (
        "only while forwarding is 1 on {dev} and proxy_ndp is 1 on {dev} or all, "
        "which this source does not show"
    ),
    "answers_v4_no_forwarding": (
        "forwarding is 0 on {dev}, and ARP answers for proxy entries only on a "
        "forwarding device (`sysctl -w net.ipv4.conf.{dev}.forwarding=1`)"
    ),
    "answers_v4_yes": (
        "forwarding is 1 on {dev} and the kernel routes {dst} out of {route_dev}, "
        "another device, so ARP requests for {dst} on {dev} get our MAC "
        "(`ip route get {dst}` shows the route)"
    ),
    "answers_v4_same_dev": (
        "the kernel routes {dst} out of {dev} itself, and ARP answers for a proxy "
        "entry only when the target is routed out of another device "
        "(`ip route get {dst}` shows the route)"
    ),
    "answers_v4_no_route": (
        "the kernel has no usable route to {dst} (`ip route get {dst}` fails), and "
        "ARP answers for a proxy entry only for a target routed out of another device"
    ),
    "answers_v4_not_unicast": (
        "the kernel's route to {dst} is not a unicast route (blackhole, broadcast, ...), "
        "and ARP answers for a proxy entry only for a target routed (unicast) out of "
        "another device (`ip route get {dst}` shows the route)"
    ),
    "answers_v4_local": (
        "{dst} is an address of this host, which ARP answers as its own, proxy entry or not"
    ),
    "answers_v4_routed": (
        "only to requests for a target the kernel routes out of another device "
        "than {dev} (forwarding is 1 on {dev}); `ip route get {dst}` shows the route"
    ),
    "answers_any_dev": (
        "on any device whose forwarding is 1, and only for a target the kernel routes "
        "out of another device than the one the request came in on"
    ),
    "answers_v4_unknown": (
        "only while forwarding is 1 on {dev}, which this source does not show, and "
        "for a target routed out of another device"
    ),
}

PATTERNS: dict[str, str] = {
    "calico_gateway": (
        "Calico pod gateway: pods route via 169.254.1.1, which no host owns; the host "
        "side of the pod's veth (MAC ee:ee:ee:ee:ee:ee, proxy_arp=1) answers by proxy "
        "ARP. A normal dynamic entry: REACHABLE and STALE are both fine."
    ),
    "calico_gateway_other_mac": (
        "169.254.1.1 is Calico's pod gateway, answered by proxy ARP from the host "
        "side of the pod's veth; current Calico gives that veth MAC "
        "ee:ee:ee:ee:ee:ee, so this MAC is from an older Calico or another CNI."
    ),
    "calico_mac": (
        "ee:ee:ee:ee:ee:ee is the MAC Calico gives the host side of every pod veth: "
        "this address is answered by a Calico host, by proxy ARP."
    ),
    "calico_workload": (
        "Calico workload: felix writes a PERMANENT entry for each local pod on its "
        "cali* veth (the pod's IP and eth0 MAC); it goes away with the veth."
    ),
    "flannel_vtep": (
        "flannel (vxlan) remote VTEP: flanneld writes one PERMANENT entry per remote "
        "node, its VTEP address (the .0 of that node's pod subnet) to the MAC of its "
        "flannel.1. If that node recreated flannel.1, the MAC here is stale: compare "
        "with `ip -d link show flannel.1` there and `bridge fdb show dev flannel.1` here."
    ),
    "failed": "resolution failed: nothing answered for this address on {dev}.",
    "failed_many": (
        "{n} FAILED entries on {dev}: something keeps sending to addresses that do not "
        "answer (deleted pods, a dead node, a scan); find it with `tcpdump -ni {dev} "
        "arp or icmp6`."
    ),
    "shared_mac": (
        "{n} other addresses on {dev} have this MAC: one device answers for all of "
        "them (a router doing proxy ARP, a cloud VPC gateway, a load balancer)."
    ),
}

# The overview diagram: at most 79 columns (tests/pure/test_states.py checks).
DIAGRAM = """\
NONE, FAILED --packet to send--> INCOMPLETE --solicited reply--> REACHABLE <--+
                                  |      |                         |          |
        no reply to mcast_solicit |      | neighbour's request     |          |
        x retrans_time            |      | or broadcast reply      |          |
                                  v      v                         |          |
                              FAILED   STALE <--reachable_time-----+          |
                                  ^      |     passed, unused                 |
                                  |      | packet to send                     |
                                  |      v                                    |
                                  |    DELAY --confirmed within               |
                                  |      |     delay_first_probe_time ------->+
                                  |      | not confirmed                      |
                                  |      v                                    |
                                  +--- PROBE --reply to a unicast probe ----->+
             no reply to ucast_solicit x retrans_time

PERMANENT, NOARP: no timers, no probes; only an administrator changes them.
GC deletes unreferenced FAILED entries, and NOARP, NONE and STALE ones once
unused for gc_stale_time; only while the table holds at least gc_thresh1.
"""
