"""Every word `neighctl explain` prints in Simplified Chinese (facts: catalogue.py, predictions.py).

The names are the same in every language module (see words.py); MSG
sentences take ``{fact}`` fields that predictions.py and entry.py provide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neighctl.explain.words import StateWords

TEXT: dict[str, StateWords] = {
    "INCOMPLETE": {
        "summary": "正在解析：已发出请求、尚无应答，待发报文在队列里等着",
        "meaning": (
            "内核有报文要发给这个邻居，但还不知道它的链路层地址（MAC）。内核每隔 "
            "retrans_time 广播一次 ARP 请求（IPv6 为组播邻居请求 NS），期间报文先排队。"
        ),
        "entry": (
            "向一个没有表项（NONE）或处于 FAILED 的地址发包时进入；"
            "也可以用 `ip neigh add/replace ... nud incomplete` 手工设置（不会启动定时器）。"
        ),
        "transitions": {
            "reply": "收到针对我方请求的单播应答（地址得到确认）",
            "heard": "收到邻居自己发出的请求或广播应答，由此知道了地址，但还不能证明对方收得到我们",
            "no_reply": (
                "发出 mcast_solicit（加 app_solicit）次请求、每次间隔 retrans_time，"
                "仍无应答；排队的报文被丢弃，发送方收到“host unreachable”错误"
            ),
        },
        "traffic": "不通。报文排队（每个表项最多 unres_qlen_bytes 字节），解析成功后再发出。",
        "gc": "不会回收：定时器在运行的表项不会被垃圾回收。",
        "advice": [
            "短暂的 INCOMPLETE 是正常的。反复出现说明链路上没人应答这个地址："
            "对端宕机、子网或 VLAN 配错、防火墙挡了 ARP/ND。",
            "用 `arping -I 网卡 地址`（IPv6 用 `ndisc6 地址 网卡`）验证，并在该网卡上抓包。",
            "用 `ip neigh add/replace ... nud incomplete` 手工设置的表项没有定时器："
            "它不发请求、不会失败、不会被周期性回收，发往它的报文都在队列里等着；"
            "只有邻居自己报出地址时它才会得到 MAC：收到请求、广播 ARP 应答或非请求的"
            "邻居通告时变为 STALE，收到单播 ARP 应答或带 S 标志的邻居通告时变为 REACHABLE。",
        ],
    },
    "REACHABLE": {
        "summary": "刚确认过：邻居证明了自己在线",
        "meaning": (
            "距上次确认不到 reachable_time。确认来自对请求的单播应答，或上层协议"
            "（TCP 有进展、MSG_CONFIRM）。报文直接发出。"
        ),
        "entry": (
            "收到单播应答（从 INCOMPLETE、DELAY 或 PROBE 进入）、DELAY 期间得到确认，"
            "或 `ip neigh add/replace ... nud reachable`。"
        ),
        "transitions": {
            "expired": (
                "距上次确认超过 reachable_time，且最近 delay_first_probe_time 内没有"
                "记录到使用。走缓存链路层头的报文不算“使用”，所以即使流量不断，"
                "它也会先变成 STALE，下一个报文再立刻把它变成 DELAY"
            ),
            "expired_used": (
                "距上次确认超过 reachable_time，且内核在 delay_first_probe_time 内记录到使用。"
                "进入 REACHABLE 本身就算一次使用，所以 reachable_time 短于 "
                "delay_first_probe_time 时总是走这条路"
            ),
            "new_lladdr": (
                "邻居宣告了不同的链路层地址（ARP 要求距上次更新已过 locktime），"
                "于是采用新地址，但视为未确认"
            ),
        },
        "traffic": "通。",
        "gc": "不会回收：定时器在运行。",
        "advice": [
            "无需处理。reachable_time 每 300 秒以及每次修改 base_reachable_time 时"
            "都会重新随机取值，所以同一网卡上的表项过期时间并不固定。",
        ],
    },
    "STALE": {
        "summary": "地址已知但未确认：照常使用，下次用时再核实",
        "meaning": (
            "链路层地址已知，但有一段时间没有确认了（或者是从邻居自己的请求里学到的，"
            "不能证明对方收得到我们）。STALE 没有定时器：在有报文要发之前什么都不会发生。"
        ),
        "entry": (
            "REACHABLE 过了 reachable_time；或者从邻居的 ARP 请求、邻居请求（NS）、"
            "非请求的邻居通告（NA）里得知了它的地址；或 `ip neigh add ... nud stale`。"
        ),
        "transitions": {
            "send": "有报文发往它，报文立即按缓存的地址发出，表项转入 DELAY",
            "reply": "收到单播应答（例如执行了 `arping` 之后）",
            "gc": (
                "周期性垃圾回收在它未使用超过 gc_stale_time 且无人引用时删除它，但只在整张表"
                "不少于 gc_thresh1 条时才执行；超过 gc_thresh2/gc_thresh3 时会强制回收"
            ),
        },
        "traffic": "通，按缓存的地址发送；第一个报文会触发重新核实（DELAY）。",
        "gc": "会回收：未使用超过 gc_stale_time 且无人引用，但前提是整张表（所有命名空间合计）不少于 gc_thresh1 条。",
        "advice": [
            "STALE 是健康状态，不是错误。表项较少时 STALE 会一直留着，"
            "因为表中不足 gc_thresh1 条（默认 128）时周期性回收什么也不做。",
            "如果邻居换了 MAC 却没有通告，最初几个报文仍会发往旧 MAC，几秒后 PROBE 才会发现。"
            "想立即删除：`neighctl del 地址 --dev 网卡`。",
        ],
    },
    "DELAY": {
        "summary": "未经确认时被使用：短暂等待上层协议的确认",
        "meaning": (
            "向 STALE 表项发了报文。内核此时还不发探测，而是等待 delay_first_probe_time，"
            "看上层协议（TCP 的 ACK 推进、MSG_CONFIRM）能否给出确认，从而省掉探测。"
        ),
        "entry": "向 STALE 表项发包时进入；少数情况下 REACHABLE 到期时刚好记录到使用。",
        "transitions": {
            "confirmed": "在 delay_first_probe_time 内得到确认（如 TCP），不发探测，直接回到 REACHABLE",
            "unconfirmed": "delay_first_probe_time 内没有得到确认，于是发出第一个单播探测",
        },
        "traffic": "通，按缓存的地址发送。",
        "gc": "不会回收：定时器在运行。",
        "advice": [
            "安静一段时间后再通信时的正常状态。与很多资料的说法不同，DELAY 不发任何请求；"
            "探测是在 PROBE 状态发出的。",
        ],
    },
    "PROBE": {
        "summary": "正在核实：向缓存的地址发单播探测",
        "meaning": (
            "DELAY 期间没有得到确认。内核每隔 retrans_time 向缓存的地址发一次单播请求"
            "（之后再发 mcast_resolicit 次广播请求，默认 0 次）。"
        ),
        "entry": "DELAY 过了 delay_first_probe_time 仍未确认。",
        "transitions": {
            "reply": "收到对探测的应答",
            "no_reply": "发出 ucast_solicit + app_solicit + mcast_resolicit 次探测（每次间隔 retrans_time）仍无应答",
        },
        "traffic": "通，探测期间照常按缓存的地址发送。",
        "gc": "不会回收：定时器在运行。",
        "advice": [
            "短暂的 PROBE 是正常的。如果表项经常从 PROBE 变成 FAILED，说明邻居下线或换了 MAC；"
            "检查对端主机，若它只应答广播不应答单播，再查交换机。",
        ],
    },
    "FAILED": {
        "summary": "解析失败：没人应答，报文被丢弃",
        "meaning": "请求无人应答。表项没有地址也没有定时器，留着记录这次失败，直到再次被使用或被回收。",
        "entry": "INCOMPLETE 或 PROBE 用完了探测次数，或 `ip neigh add ... nud failed`。",
        "transitions": {
            "send": "有报文发往它，重新开始解析（INCOMPLETE，发 mcast_solicit 次广播）",
            "heard": "收到邻居自己发出的请求（若收到单播应答则直接变为 REACHABLE）",
            "gc": "下一次周期性回收（FAILED 不论存在多久都会被删），前提是表中不少于 gc_thresh1 条；强制回收时即使刚更新过也会被清理",
        },
        "traffic": "不通：报文会触发重新解析，若再次失败则被丢弃。",
        "gc": "会回收，下一轮就删，但只在表中不少于 gc_thresh1 条时；否则会一直留到再被使用或被删除。",
        "advice": [
            "有程序在不停地向一个不应答的地址发包：已删除的 Pod 或虚机、宕掉的节点、"
            "过期的 Service 后端、扫描。与其 flush，不如先找出发送方"
            "（`tcpdump -ni 网卡 arp or icmp6`）。",
            "繁忙的 Kubernetes 节点（Calico、flannel）上成千上万条 FAILED 只是症状，"
            "并不是溢出本身：表项超过 gc_thresh2 后，强制回收即使对刚更新过的 FAILED 也能清掉"
            "（其他表项要 5 秒内没有更新过才行）。dmesg 里的"
            "“neighbor table overflow!”（`ip -s ntable show` 中的 table_fulls）说明"
            "回收不掉的表项（正在使用或 5 秒内刚更新过）超过了 gc_thresh3。"
            "如果节点确实有这么多邻居，就调大 gc_thresh1/2/3（只能在宿主机命名空间设置）。",
        ],
    },
    "NOARP": {
        "summary": "无需解析：内核从不探测",
        "meaning": (
            "这个地址不需要 ARP/ND：组播和广播地址、环回、点对点以及 NOARP 设备"
            "（tunl0、wireguard 等隧道）。表项不经检查直接有效。"
        ),
        "entry": "内核为上述目标自动创建，或 `ip neigh add ... nud noarp`。",
        "transitions": {
            "admin": "管理员替换或删除（收到的报文不会改变它）",
            "gc": "未使用超过 gc_stale_time 后被垃圾回收（或被强制回收）",
        },
        "traffic": "通。",
        "gc": "会回收：与 PERMANENT 不同，它不受保护（未使用超过 gc_stale_time 后周期回收；强制回收时立即删除）。",
        "advice": [
            "`ip neigh show`（以及 `neighctl show`）默认不显示，需要 `nud all` / `--state all`。无需处理。"
        ],
    },
    "PERMANENT": {
        "summary": "静态表项：由管理员或代理程序设置，从不核实、从不老化",
        "meaning": "静态表项。内核从不探测、从不超时、从不回收，并且忽略声称另一个地址的 ARP/ND 报文。",
        "entry": (
            "`ip neigh add/replace` 不带 `nud`（或 `nud permanent`）、`arp -s`，"
            "或代理程序：Calico 的 felix 为本机工作负载写入，flanneld 为远端 VTEP 写入。"
        ),
        "transitions": {
            "admin": "管理员或代理程序删除或替换它",
            "ifdown": "所在设备被关闭（down）、删除或更换 MAC（仅仅掉载波不会删）",
        },
        "traffic": "通，发往配置的地址——即使这个地址是错的。",
        "gc": "从不回收。",
        "advice": [
            "MAC 写错的 PERMANENT 表项是无声的黑洞：内核不会纠正它。远端节点重建了 VTEP"
            "（flannel.1、vxlan）之后，本机的静态表项仍指向旧的 VTEP MAC，直到代理程序"
            "重写：重启代理，或 `ip neigh replace 地址 lladdr 新MAC dev 网卡`，"
            "并检查 `bridge fdb show dev 网卡`。",
        ],
    },
    "NONE": {
        "summary": "已创建但从未解析：还没有状态",
        "meaning": (
            "表项存在但从未解析过：由一次没有发包的查找创建，或 `ip neigh add ... nud none`。"
            "`ip neigh show` 对它不打印状态词。"
        ),
        "entry": "内核只查找不发包时创建；`managed` 表项首次探测前；`ip neigh add ... nud none`。",
        "transitions": {
            "send": "有报文发往它，开始解析（INCOMPLETE）",
            "heard": "收到邻居自己发出的请求（若收到单播应答则直接变为 REACHABLE）",
            "gc": "未使用超过 gc_stale_time 后被垃圾回收",
        },
        "traffic": "不通：第一个报文会触发解析。",
        "gc": "会回收，条件同 STALE（未使用超过 gc_stale_time，表中不少于 gc_thresh1 条）。",
        "advice": ["默认不显示（需要 `--state all`）。存在时间很短，无害。"],
    },
}

PARAMS: dict[str, str] = {
    "base_reachable_time": "每次确认后 REACHABLE 持续其 0.5～1.5 倍的随机时长",
    "retrans_time": "两次请求/探测之间的间隔",
    "delay_first_probe_time": "DELAY 等待上层确认的时长",
    "gc_stale_time": "未使用超过此时长的表项可被回收",
    "ucast_solicit": "PROBE 状态的单播探测次数",
    "mcast_solicit": "INCOMPLETE 状态的广播/组播请求次数",
    "app_solicit": "广播前交给用户态守护进程（arpd）的请求次数",
    "mcast_resolicit": "PROBE 中单播探测之后的广播探测次数",
    "locktime": "更新后这段时间内 ARP 不接受不同的地址",
    "proxy_delay": "代理 ARP 应答前的延迟",
    "anycast_delay": "应答任播地址的邻居请求前的最大随机延迟",
    "proxy_qlen": "延迟代理应答的队列长度",
    "unres_qlen_bytes": "每个未解析表项可排队的字节数",
    "interval_probe_time_ms": "`managed` 表项的探测间隔；内核只用邻居表默认值（default）这一项",
    "gc_thresh1": "表项少于此数时周期性回收不做任何事",
    "gc_thresh2": "软上限：超过后触发强制回收（最多每 5 秒一次）",
    "gc_thresh3": "硬上限：超过后新表项无法加入（table overflow）",
}

FLAGS: dict[str, str] = {
    "router": (
        "标记为 IPv6 路由器：邻居通告中的 R 位会设置它，`ip neigh add/replace ... router` 也会"
    ),
    "router_by_hand": (
        "由管理员或代理程序设置（`ip neigh ... router`）：邻居通告从不改变 PERMANENT 或 "
        "NOARP 表项，ARP 也没有路由器标志"
    ),
    "router_proxy": "我们为这个地址代答的邻居通告带有 R 位",
    "proxy": "代理表项：请内核在 {dev} 上替这个地址应答 ARP/ND 请求（是否真的应答见“是否应答”）",
    "proxy_any": "不限网卡的代理表项：请内核在任何网卡上替这个地址应答 ARP 请求（是否真的应答见“是否应答”）",
    "extern_learn": (
        "由内核以外的组件学习和管理（EVPN、交换芯片驱动、Cilium 等代理），从不回收，"
        "也不计入 gc_thresh2/3 的比较"
    ),
    "managed": "内核自行保持其已解析状态，每隔 interval_probe_time_ms 探测一次（Cilium 用于节点邻居）",
    "offload": "表项已下发到硬件（交换芯片）",
    "extern_valid": "由内核之外（如 EVPN 守护进程）确认有效：内核不会删除它或使它失效；内核可以探测它，探测无应答时把它退回 STALE",
}

LABELS: dict[str, str] = {
    "state": "状态",
    "ages": "时间",
    "next": "接下来",
    "flags": "标志",
    "answers": "是否应答",
    "pattern": "判断",
    "note": "说明",
    "meaning": "含义",
    "entry": "如何进入",
    "leaves": "如何离开",
    "traffic": "流量",
    "gc": "垃圾回收",
    "advice": "建议",
    "timers": "定时器：",
}

MSG: dict[str, str] = {
    "list_sep": "，",
    "sep": "；",
    # explain 状态，以及总览
    "overview_title": "邻居（ARP/NDP）状态一览；用 `neighctl explain 状态` 查看详情。",
    "leave": "{to}：{trigger}",
    "leave_timed": "{to}，{when}：{trigger}",
    "deleted": "被删除",
    "on": "在 {where}上，",
    "default_where": "按内核默认值，",
    "where": "{dev}（{fam}）",
    "dev_unknown": "网卡",  # a device the source does not show
    "where_head": "{where}：",
    "when_on": "{where}上{when}",
    "fam4": "IPv4",
    "fam6": "IPv6",
    "defaults_note": "以上是内核默认值；加 --dev 网卡 可查看该网卡的实际取值。",
    "differs": "与内核默认值不同：{items}。",
    "differs_item": "{name} {value}（默认 {default}）",
    "all_default": "所有取值均为内核默认值。",
    "table": (
        "邻居表 {name}（整个内核、所有命名空间共用）：{entries}gc_thresh1 {t1}，"
        "gc_thresh2 {t2}，gc_thresh3 {t3}{fulls}。周期性回收只在表中（各类表项合计）"
        "不少于 gc_thresh1 条时进行；溢出检查只拿可回收的表项（不含 PERMANENT、"
        "extern_learn 和 loopback 上的表项）与 gc_thresh2、gc_thresh3 比较。"
    ),
    "table_entries": "当前 {n} 条（含 PERMANENT、extern_learn 和 loopback 表项），",
    "table_fulls": "，已溢出 {n} 次",
    "s": "{v} 秒",
    "t_reachable": "{lo}～{hi} 秒后（base_reachable_time {base} 秒的 0.5～1.5 倍{now}）",
    "t_now": "；当前为 {rt} 秒",
    "t_delay": "{d} 秒后（delay_first_probe_time）",
    "t_probes": "约 {total} 秒后（{n} 次 × retrans_time {r} 秒）",
    "t_at_once": "立即（探测次数为 {n}）",
    "t_gc": "未使用超过 {g} 秒后（gc_stale_time），且表中不少于 {t1} 条（gc_thresh1）",
    "t_gc_now": "下一轮回收时，且表中不少于 {t1} 条（gc_thresh1）",
    "h_INCOMPLETE": "INCOMPLETE 持续约 {inc} 秒（每 {r} 秒一次，共 {ninc} 次请求），然后变为 FAILED。",
    "h_REACHABLE": "REACHABLE 持续 {lo}～{hi} 秒（base_reachable_time {base} 秒）{now}。",
    "h_now": "，当前取值 {rt} 秒",
    "h_STALE": (
        "STALE 一直保持，直到有报文要发（随后 DELAY {d} 秒）或被垃圾回收"
        "（未使用超过 {g} 秒，且表中不少于 {t1} 条）。"
    ),
    "h_DELAY": "DELAY 持续 {d} 秒（delay_first_probe_time），然后变为 REACHABLE 或 PROBE。",
    "h_PROBE": "PROBE 持续约 {prb} 秒（每 {r} 秒一次，共 {nprb} 次探测），无应答则变为 FAILED。",
    "h_FAILED": (
        "FAILED 一直保持，直到有报文要发（随后 INCOMPLETE 约 {inc} 秒）"
        "或下一轮垃圾回收（表中不少于 {t1} 条时）。"
    ),
    "h_NOARP": "NOARP 没有定时器；未使用超过 {g} 秒后可能被回收（表中不少于 {t1} 条时）。",
    "h_PERMANENT": "PERMANENT 没有定时器，也从不被回收。",
    "h_NONE": (
        "NONE 一直保持，直到有报文要发（随后 INCOMPLETE）或被垃圾回收"
        "（未使用超过 {g} 秒，且表中不少于 {t1} 条）。"
    ),
    # explain 地址
    "no_ages": "未知（数据源没有 `-s` 的时间信息）",
    "proxy_ages": "无：代理表项没有时间、没有状态，也没有链路层地址",
    "ages": "{used} 秒前使用，{confirmed} 秒前确认，{updated} 秒前更新",
    "ages_unconfirmed": "{used} 秒前使用，从未确认，{updated} 秒前更新",
    "probes": "已探测 {n} 次",
    "ref": "引用 {n}",
    "ambiguous": (
        "{states} 之一：该数据源（/proc/net/arp 或 net-tools 的 `arp`）只记录条目是否已解析，"
        "不记录具体状态"
    ),
    "ambiguous_next": (
        "无法根据该数据源推断；`neighctl explain 状态` 可分别查看 {states} 的说明，"
        "在节点上执行 `ip neigh` 才能知道具体是哪一个"
    ),
    "defaults_used": "定时器按内核默认值计算，而不是该网卡的实际取值",
    "gc_active": "当前表中有 {entries} 条（不少于 {t1}），回收处于活动状态。",
    "gc_idle": "当前表中有 {entries} 条（少于 {t1}），回收不会动它。",
    "gc_extern": "extern_learn：垃圾回收从不删除它。",
    "reach_live": (
        "约 {left} 秒后变为 STALE，除非再次得到确认（{dev} 上当前 reachable_time "
        "为 {rt} 秒）；之后的下一个报文会使它进入 DELAY"
    ),
    "reach_delay": (
        "约 {left} 秒后变为 DELAY，除非再次得到确认（{dev} 上当前 reachable_time 为 {rt} 秒；"
        "{used} 秒前的最近一次使用届时仍在 delay_first_probe_time {d} 秒之内），"
        "再过 {d} 秒若仍未确认则进入 PROBE"
    ),
    "reach_range": (
        "{earliest}～{latest} 秒内变为 STALE，除非再次得到确认（reachable_time 为 "
        "base_reachable_time {base} 秒的 0.5～1.5 倍）"
    ),
    "reach_noage": "上次确认后 {lo}～{hi} 秒变为 STALE",
    "stale_send": (
        "保持 STALE，直到有报文发往它：报文立即发出，表项进入 DELAY {d} 秒"
        "（得到确认则回到 REACHABLE，否则进入 PROBE）"
    ),
    "stale_gc": (
        "或被垃圾回收：未使用超过 gc_stale_time（{g} 秒）后可被回收（目前已 {used} 秒未使用），"
        "且周期性回收只在表中不少于 gc_thresh1 = {t1} 条时进行。{gc_now}"
    ),
    "stale_gc_due": (
        "或被垃圾回收：已 {used} 秒未使用，超过了 gc_stale_time（{g} 秒），"
        "只要引用为 0，周期性回收就会删除它；"
        "周期性回收只在表中不少于 gc_thresh1 = {t1} 条时进行。{gc_now}"
    ),
    "stale_gc_noage": (
        "或被垃圾回收：未使用超过 gc_stale_time（{g} 秒）后可被回收，"
        "且周期性回收只在表中不少于 gc_thresh1 = {t1} 条时进行。{gc_now}"
    ),
    "delay": "约 {left} 秒后：若上层（TCP）已确认则回到 REACHABLE，否则进入 PROBE（每 {r} 秒一次单播探测）",
    "probing": (
        "已发 {sent}/{total} 次探测；约 {left} 秒后若仍无应答则变为 FAILED（一有应答即变为 "
        "REACHABLE）：每次探测之后都要再等满一个 retrans_time（{r} 秒）"
    ),
    "probing_unknown": (
        "约 {latest} 秒内若仍无应答则变为 FAILED（共 {total} 次探测，每 {r} 秒一次；"
        "数据源没有给出已发次数）"
    ),
    "incomplete_set_by_hand": (
        "自身不会有任何变化：它是手工设置为 INCOMPLETE 的（已探测 {probes} 次：从未发出请求），"
        "没有定时器；它既不会失败，也不会被周期性回收，发往它的报文都在队列里等着"
    ),
    "incomplete_overdue": (
        "自身不会有任何变化：上次更新在 {updated} 秒前，远超过一次解析所需的 {inc} 秒，"
        "说明没有定时器在运行（是手工设置为 INCOMPLETE 的）；它既不会失败，"
        "也不会被周期性回收，发往它的报文都在队列里等着"
    ),
    "incomplete_heard": (
        "当邻居自己发来 ARP 请求或邻居请求（NS），或广播 ARP 应答、非请求的邻居通告（NA），"
        "报出其地址时变为 STALE，排队的报文随即发出"
    ),
    "incomplete_reply": (
        "若收到发给本机的单播 ARP 应答或带 S 标志的邻居通告，则直接变为 REACHABLE"
        "（内核无法知道其实没人发过请求）。`neighctl del {dst} --dev {dev}` 可删除它"
    ),
    "failed_send": "保持 FAILED，直到有报文发往它：重新进入 INCOMPLETE，约 {inc} 秒的请求",
    "failed_gc": "或在下一轮回收时被删除，前提是表中不少于 gc_thresh1 = {t1} 条。{gc_now}",
    "permanent": (
        "什么也不会发生：内核从不探测、老化或回收它；只有 `ip neigh del/replace`"
        "（或网卡 down）才会删除它"
    ),
    "noarp": (
        "什么也不会发生：不探测、无定时器；未使用超过 gc_stale_time {g} 秒后可能被回收"
        "（表中不少于 {t1} 条时）。{gc_now}"
    ),
    "none": "下一个发往它的报文会使它进入 INCOMPLETE；否则未使用超过 gc_stale_time {g} 秒后被回收。{gc_now}",
    "proxy": (
        "什么也不会发生：代理表项没有状态也没有定时器；它一直保留，直到 "
        "`ip neigh del proxy {dst} dev {dev}`（或其网卡被删除）"
    ),
    "managed": "managed：内核每隔 {interval} 秒（interval_probe_time_ms）自行重新解析它，不需要流量",
    "proxy_any": "什么也不会发生：代理表项没有状态也没有定时器；它一直保留，直到 `ip neigh del proxy {dst}`",
    # 代理表项是否应答
    "answers_yes": "会：{why}",
    "answers_no": "不会：{why}",
    "proxy_state": "没有状态：代理表项只是让内核替这个地址应答",
    "answers_v6_yes": (
        "{dev} 上 forwarding 为 1，proxy_ndp 为 1（{proxy_ndp_where}），"
        "内核会在 {dev} 上替 {dst} 应答邻居请求"
    ),
    "answers_v6_no_forwarding": (
        "{dev} 上 forwarding 为 0，而内核只在开启转发的网卡上为代理表项应答邻居请求"
        "（`sysctl -w net.ipv6.conf.{dev}.forwarding=1`）"
    ),
    "answers_v6_no_proxy_ndp": (
        "{dev} 和 all 上的 proxy_ndp 都是 0，至少要有一个为 1"
        "（`sysctl -w net.ipv6.conf.{dev}.proxy_ndp=1`）"
    ),
    "answers_v6_unknown": (
        "只有当 {dev} 上 forwarding 为 1、且 {dev} 或 all 上 proxy_ndp 为 1 时才会应答，"
        "该数据源不包含这些取值"
    ),
    "answers_v4_no_forwarding": (
        "{dev} 上 forwarding 为 0，而 ARP 只在开启转发的网卡上为代理表项应答"
        "（`sysctl -w net.ipv4.conf.{dev}.forwarding=1`）"
    ),
    "answers_v4_yes": (
        "{dev} 上 forwarding 为 1，且内核把 {dst} 从另一块网卡 {route_dev} 路由出去，"
        "所以 {dev} 上对 {dst} 的 ARP 请求会得到本机的 MAC（`ip route get {dst}` 可查看路由）"
    ),
    "answers_v4_same_dev": (
        "内核把 {dst} 从 {dev} 自己路由出去，而 ARP 只在目标经另一块网卡路由时才替代理表项应答"
        "（`ip route get {dst}` 可查看路由）"
    ),
    "answers_v4_no_route": (
        "内核没有到 {dst} 的可用路由（`ip route get {dst}` 失败），"
        "而 ARP 只在目标经另一块网卡路由时才替代理表项应答"
    ),
    "answers_v4_not_unicast": (
        "内核到 {dst} 的路由不是单播路由（黑洞、广播等），"
        "而 ARP 只在目标经另一块网卡单播路由时才替代理表项应答（`ip route get {dst}` 可查看路由）"
    ),
    "answers_v4_local": "{dst} 是本机自己的地址，ARP 会把它当作本机地址应答，与代理表项无关",
    "answers_v4_routed": (
        "只应答目标经另一块网卡（不是 {dev}）路由出去的请求（{dev} 上 forwarding 为 1）；"
        "`ip route get {dst}` 可查看路由"
    ),
    "answers_any_dev": "在任何开启转发（forwarding 为 1）的网卡上都可能应答，但只应答目标经另一块网卡（不是收到请求的那块）路由出去的请求",
    "answers_v4_unknown": (
        "只有当 {dev} 上 forwarding 为 1（该数据源不包含此值）、且目标经另一块网卡路由时才会应答"
    ),
}

PATTERNS: dict[str, str] = {
    "calico_gateway": (
        "Calico 的 Pod 网关：Pod 的默认路由指向 169.254.1.1，这个地址不属于任何主机；"
        "由 Pod veth 的宿主机一端（MAC 为 ee:ee:ee:ee:ee:ee，proxy_arp=1）通过代理 ARP 应答。"
        "这是普通的动态表项，REACHABLE 和 STALE 都正常。"
    ),
    "calico_gateway_other_mac": (
        "169.254.1.1 是 Calico 的 Pod 网关，由 Pod veth 的宿主机一端代理应答；"
        "新版 Calico 把该端 MAC 设为 ee:ee:ee:ee:ee:ee，这个 MAC 来自旧版 Calico 或其他 CNI。"
    ),
    "calico_mac": (
        "ee:ee:ee:ee:ee:ee 是 Calico 给每个 Pod veth 宿主机一端设置的 MAC："
        "该地址由某台 Calico 主机代理应答。"
    ),
    "calico_workload": (
        "Calico 工作负载：felix 为本机每个 Pod 在其 cali* veth 上写入一条 PERMANENT 表项"
        "（Pod 的 IP 和 eth0 的 MAC），veth 删除时随之消失。"
    ),
    "flannel_vtep": (
        "flannel（vxlan）远端 VTEP：flanneld 为每个远端节点写一条 PERMANENT 表项，"
        "把该节点的 VTEP 地址（其 Pod 子网的 .0）映射到其 flannel.1 的 MAC。"
        "若该节点重建过 flannel.1，这里的 MAC 就过期了：在对端用 `ip -d link show flannel.1`、"
        "在本机用 `bridge fdb show dev flannel.1` 对比。"
    ),
    "failed": "解析失败：{dev} 上没有人应答这个地址。",
    "failed_many": (
        "{dev} 上有 {n} 条 FAILED：有程序在不停地向不应答的地址发包（已删除的 Pod、"
        "宕掉的节点、扫描）；用 `tcpdump -ni {dev} arp or icmp6` 找出来源。"
    ),
    "shared_mac": (
        "{dev} 上另有 {n} 个地址使用同一个 MAC：由一台设备替它们全部应答"
        "（做代理 ARP 的路由器、云上 VPC 网关、负载均衡器）。"
    ),
}

# 总览图：显示宽度不超过 79 列（全角字符占两列，见 tests/pure/test_states.py）。
DIAGRAM = """\
NONE, FAILED --有报文要发--> INCOMPLETE --收到单播应答-------> REACHABLE <----+
                                  |      |                         |          |
       mcast_solicit 次请求无应答 |      | 邻居的请求或广播应答    |          |
       （间隔 retrans_time）      |      |                         |          |
                                  v      v                         |          |
                              FAILED   STALE <--超过 reachable_time+          |
                                  ^      |     且期间未使用                   |
                                  |      | 有报文要发                         |
                                  |      v                                    |
                                  |    DELAY --在 delay_first_probe_time      |
                                  |      |     内得到确认 ------------------->+
                                  |      | 未得到确认                         |
                                  |      v                                    |
                                  +--- PROBE --收到对单播探测的应答 --------->+
       ucast_solicit 次探测（间隔 retrans_time）均无应答

PERMANENT、NOARP：没有定时器、不探测，只有管理员能改。
垃圾回收删除无人引用的 FAILED 表项，以及未使用超过 gc_stale_time 的 NOARP、
NONE 和 STALE 表项；且只在表中不少于 gc_thresh1 条时进行。
"""
