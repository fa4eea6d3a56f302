#!/usr/bin/env python3
"""Writes the cluster test scenarios in the bundle layout (cluster/resources.json, cluster/logs/..., pods, nodes).

Every object and log line here is constructed for these tests in the shapes of `kubectl get ... -o json`
and CoreDNS 1.8-1.12 logs; names and addresses are our own (node subnet 198.18.0.0/24, pod subnet
198.18.1.0/24, upstream resolvers 198.18.2.11/.12, service CIDR 10.96.0.0/12). Run it from this
directory to regenerate; the output is deterministic.
"""
import json
import zlib
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
UP1, UP2 = "198.18.2.11", "198.18.2.12"
DNS_IP, API_IP = "10.96.0.10", "10.96.0.1"


def meta(name, ns=None, labels=None, **extra):
    m = {"name": name}
    if ns:
        m["namespace"] = ns
    if labels:
        m["labels"] = labels
    m.update(extra)
    return m


def node(name, ip, ready=True):
    return {"apiVersion": "v1", "kind": "Node", "metadata": meta(name, labels={"kubernetes.io/hostname": name}),
            "status": {"addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
                       "conditions": [{"type": "Ready", "status": "True" if ready else "False", "reason": "KubeletReady",
                                       "lastTransitionTime": "2026-11-20T08:00:00Z", "lastHeartbeatTime": "2026-11-28T09:59:00Z"}]}}


def deployment(replicas, ready, name="coredns", selector=None):
    selector = selector or {"k8s-app": "kube-dns"}
    status = {"observedGeneration": 2, "replicas": replicas, "updatedReplicas": replicas}
    if ready:
        status["readyReplicas"] = ready
        status["availableReplicas"] = ready
    else:
        status["unavailableReplicas"] = replicas
    status["conditions"] = [{"type": "Available", "status": "True" if ready else "False",
                             "reason": "MinimumReplicasAvailable" if ready else "MinimumReplicasUnavailable",
                             "message": "Deployment has minimum availability." if ready else "Deployment does not have minimum availability.",
                             "lastUpdateTime": "2026-11-28T09:40:00Z", "lastTransitionTime": "2026-11-28T09:40:00Z"}]
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": meta(name, "kube-system", {"k8s-app": selector["k8s-app"]}, generation=2),
            "spec": {"replicas": replicas, "selector": {"matchLabels": selector},
                     "template": {"metadata": {"labels": selector}, "spec": {"dnsPolicy": "Default"}}},
            "status": status}


def dns_pod(name, node_name, ip, ready=True, restarts=0, waiting=None, last=None, image="registry.k8s.io/coredns/coredns:v1.11.1",
            labels=None, dns_policy="Default"):
    uid = "0c1d2e3f-" + name[-5:].rjust(4, "0")[:4] + "-4a5b-8c7d-00000000" + name[-4:]
    state = {"running": {"startedAt": "2026-11-28T09:41:00Z"}} if waiting is None else {"waiting": waiting}
    status = {"name": "coredns", "state": state, "lastState": last or {}, "ready": ready, "restartCount": restarts,
              "started": ready, "image": image, "imageID": image + "@sha256:" + "ab" * 32,
              "containerID": "containerd://" + "cd" * 32}
    cond = "True" if ready else "False"
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": meta(name, "kube-system", labels or {"k8s-app": "kube-dns", "pod-template-hash": name.split("-")[1]},
                             uid=uid, creationTimestamp="2026-11-28T09:30:00Z",
                             ownerReferences=[{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "-".join(name.split("-")[:2]),
                                               "uid": "7e8f9a0b-1111-4c3e-8f0a-5b6c7d8e9f00", "controller": True}]),
            "spec": {"dnsPolicy": dns_policy, "nodeName": node_name, "serviceAccountName": "coredns",
                     "containers": [{"name": "coredns", "image": image, "args": ["-conf", "/etc/coredns/Corefile"],
                                     "livenessProbe": {"httpGet": {"path": "/health", "port": 8080, "scheme": "HTTP"}, "periodSeconds": 10, "failureThreshold": 5, "timeoutSeconds": 5},
                                     "readinessProbe": {"httpGet": {"path": "/ready", "port": 8181, "scheme": "HTTP"}, "periodSeconds": 10, "failureThreshold": 3, "timeoutSeconds": 1}}]},
            "status": {"phase": "Running", "hostIP": "198.18.0.%d" % (10 if node_name.endswith("1") else 11), "podIP": ip, "podIPs": [{"ip": ip}],
                       "startTime": "2026-11-28T09:30:00Z", "qosClass": "Burstable",
                       "conditions": [{"type": "Initialized", "status": "True", "lastTransitionTime": "2026-11-28T09:30:00Z"},
                                      {"type": "Ready", "status": cond, "lastTransitionTime": "2026-11-28T09:41:00Z"},
                                      {"type": "ContainersReady", "status": cond, "lastTransitionTime": "2026-11-28T09:41:00Z"},
                                      {"type": "PodScheduled", "status": "True", "lastTransitionTime": "2026-11-28T09:30:00Z"}],
                       "containerStatuses": [status]}}


def app_pod(name="example-app", ns="shop", node_name="worker-2", ip="198.18.1.20", dns_policy=None, host_network=False):
    spec = {"nodeName": node_name, "containers": [{"name": "app", "image": "registry.example.com/shop/example-app:1.4.2"}]}
    if dns_policy:
        spec["dnsPolicy"] = dns_policy
    else:
        spec["dnsPolicy"] = "ClusterFirst"
    if host_network:
        spec["hostNetwork"] = True
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta(name, ns, {"app": name}),
            "spec": spec, "status": {"phase": "Running", "podIP": ip, "hostIP": "198.18.0.11",
                                     "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-11-28T09:00:00Z"}],
                                     "containerStatuses": [{"name": "app", "ready": True, "restartCount": 0, "image": "registry.example.com/shop/example-app:1.4.2",
                                                            "imageID": "", "state": {"running": {"startedAt": "2026-11-28T09:00:00Z"}}, "lastState": {}}]}}


def service(selector=None):
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": meta("kube-dns", "kube-system", {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"}),
            "spec": {"clusterIP": DNS_IP, "clusterIPs": [DNS_IP], "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                     "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                               {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                               {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}],
                     "selector": selector or {"k8s-app": "kube-dns"}, "sessionAffinity": "None", "type": "ClusterIP"},
            "status": {"loadBalancer": {}}}


PORTS = [{"name": "dns-tcp", "port": 53, "protocol": "TCP"}, {"name": "metrics", "port": 9153, "protocol": "TCP"}, {"name": "dns", "port": 53, "protocol": "UDP"}]


def endpoints(ready_pods, not_ready_pods):
    def addr(p):
        return {"ip": p["status"]["podIP"], "nodeName": p["spec"]["nodeName"],
                "targetRef": {"kind": "Pod", "name": p["metadata"]["name"], "namespace": "kube-system", "uid": p["metadata"]["uid"]}}
    e = {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta("kube-dns", "kube-system", {"k8s-app": "kube-dns"})}
    if ready_pods or not_ready_pods:
        subset = {"ports": PORTS}
        if ready_pods:
            subset["addresses"] = [addr(p) for p in ready_pods]
        if not_ready_pods:
            subset["notReadyAddresses"] = [addr(p) for p in not_ready_pods]
        e["subsets"] = [subset]
    return e


def slice_(pods_ready):
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": meta("kube-dns-x7k2p", "kube-system", {"endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
                                                               "kubernetes.io/service-name": "kube-dns", "k8s-app": "kube-dns"}, generateName="kube-dns-"),
            "addressType": "IPv4",
            "endpoints": [{"addresses": [p["status"]["podIP"]], "conditions": {"ready": r, "serving": r, "terminating": False},
                           "nodeName": p["spec"]["nodeName"],
                           "targetRef": {"kind": "Pod", "name": p["metadata"]["name"], "namespace": "kube-system", "uid": p["metadata"]["uid"]}}
                          for p, r in pods_ready],
            "ports": PORTS}


COREFILE_UPSTREAMS = """.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . %s %s {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
""" % (UP1, UP2)

COREFILE_RESOLV = COREFILE_UPSTREAMS.replace("forward . %s %s {" % (UP1, UP2), "forward . /etc/resolv.conf {")


def configmap(corefile):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("coredns", "kube-system"), "data": {"Corefile": corefile}}


def event(pod, reason, message, count, first, last, typ="Warning"):
    name = pod["metadata"]["name"]
    return {"apiVersion": "v1", "kind": "Event",
            "metadata": meta("%s.%012x" % (name, zlib.crc32((reason + message).encode())), pod["metadata"]["namespace"]),
            "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": name, "namespace": pod["metadata"]["namespace"],
                               "uid": pod["metadata"].get("uid", ""), "fieldPath": "spec.containers{coredns}"},
            "type": typ, "reason": reason, "message": message, "count": count,
            "firstTimestamp": first, "lastTimestamp": last, "eventTime": None,
            "source": {"component": "kubelet", "host": pod["spec"]["nodeName"]},
            "reportingComponent": "kubelet", "reportingInstance": pod["spec"]["nodeName"]}


def write(case, items, logs=None, pod_resolv=None, node_resolv=None, readme=""):
    root = os.path.join(HERE, case)
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(os.path.join(root, "cluster"))
    doc = {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
    with open(os.path.join(root, "cluster", "resources.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    for (ns, pod, container, previous), text in (logs or {}).items():
        d = os.path.join(root, "cluster", "logs", ns, pod)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, container + (".previous.log" if previous else ".log")), "w") as f:
            f.write(text)
    for (ns, pod), text in (pod_resolv or {}).items():
        d = os.path.join(root, "cluster", "pods", ns, pod)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "resolv.conf"), "w") as f:
            f.write(text)
    for name, text in (node_resolv or {}).items():
        d = os.path.join(root, "nodes", name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "resolv.conf"), "w") as f:
            f.write(text)
    with open(os.path.join(root, "README.md"), "w") as f:
        f.write(readme.strip() + "\n")


BANNER = """.:53
[INFO] plugin/reload: Running configuration SHA512 = 3f7a6c2d9e8b1a0f5c4d3e2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4938271605f4e3d2c1b0a9f8e7d6c5b4a3928170615f4e3d2c1b0a9f8
CoreDNS-1.11.1
linux/amd64, go1.20.7, ae2bbc2
"""

APP_RESOLV_OK = "search shop.svc.cluster.local svc.cluster.local cluster.local lab.internal\nnameserver 10.96.0.10\noptions ndots:5\n"
NODE_RESOLV = "# generated by the node's network setup\nsearch lab.internal\nnameserver %s\nnameserver %s\n" % (UP1, UP2)


def stamp(minute, second, frac=0):
    return "2026-11-28T09:%02d:%02d.%06d123Z" % (minute, second, frac)


def healthy():
    a = dns_pod("coredns-6d4b75cb6d-a1b2c", "worker-1", "198.18.1.31")
    b = dns_pod("coredns-6d4b75cb6d-d3e4f", "worker-2", "198.18.1.32")
    app = app_pod()
    items = [deployment(2, 2), a, b, app, service(), endpoints([a, b], []), slice_([(a, True), (b, True)]), configmap(COREFILE_UPSTREAMS),
             event(a, "Started", "Started container coredns", 1, "2026-11-28T09:41:00Z", "2026-11-28T09:41:00Z", "Normal"),
             event(b, "Started", "Started container coredns", 1, "2026-11-28T09:41:02Z", "2026-11-28T09:41:02Z", "Normal"),
             node("worker-1", "198.18.0.10"), node("worker-2", "198.18.0.11")]
    query = '[INFO] 198.18.1.20:48172 - 51234 "A IN example-api.com.shop.svc.cluster.local. udp 56 false 512" NXDOMAIN qr,aa,rd 149 0.000191834s\n'
    logs = {("kube-system", a["metadata"]["name"], "coredns", False): BANNER + query,
            ("kube-system", b["metadata"]["name"], "coredns", False): BANNER}
    write("healthy-2-replicas", items, logs, {("shop", "example-app"): APP_RESOLV_OK}, {"worker-1": NODE_RESOLV, "worker-2": NODE_RESOLV},
          """# healthy-2-replicas

Two ready CoreDNS 1.11.1 replicas on two nodes, kube-dns Endpoints and EndpointSlice both ready, Corefile
forwarding to two upstreams, the app pod's resolv.conf naming the kube-dns ClusterIP. Expected: no findings.
Constructed for the tests in the shapes of `kubectl get ... -o json` and CoreDNS logs (make-fixtures.py).""")


def incident():
    name = "coredns-5d78c9869d-7xk2p"
    ip = "198.18.1.30"
    pod = dns_pod(name, "worker-1", ip, ready=False, restarts=7,
                  waiting={"reason": "CrashLoopBackOff",
                           "message": "back-off 5m0s restarting failed container=coredns pod=%s_kube-system(0c1d2e3f-7xk2-4a5b-8c7d-000000007xk2)" % name},
                  last={"terminated": {"exitCode": 137, "reason": "Error", "startedAt": "2026-11-28T09:50:40Z", "finishedAt": "2026-11-28T09:53:41Z",
                                       "containerID": "containerd://" + "0b" * 32}})
    app = app_pod()
    items = [deployment(1, 0), pod, app, service(), endpoints([], [pod]), slice_([(pod, False)]), configmap(COREFILE_UPSTREAMS),
             event(pod, "Unhealthy", 'Liveness probe failed: Get "http://%s:8080/health": context deadline exceeded (Client.Timeout exceeded while awaiting headers)' % ip,
                   35, "2026-11-28T09:31:10Z", "2026-11-28T09:53:30Z"),
             event(pod, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", 122, "2026-11-28T09:30:20Z", "2026-11-28T09:53:35Z"),
             event(pod, "Killing", "Container coredns failed liveness probe, will be restarted", 7, "2026-11-28T09:33:40Z", "2026-11-28T09:53:41Z"),
             event(pod, "BackOff", "Back-off restarting failed container coredns in pod %s_kube-system(0c1d2e3f-7xk2-4a5b-8c7d-000000007xk2)" % name,
                   41, "2026-11-28T09:34:02Z", "2026-11-28T09:58:40Z"),
             node("worker-1", "198.18.0.10"), node("worker-2", "198.18.0.11")]

    def run(minute0, with_stamps, lines_wanted):
        out = []
        t = [minute0 * 60]

        def emit(line):
            t[0] += 1
            mm, ss = divmod(t[0], 60)
            out.append((stamp(mm % 60, ss, t[0] * 7919 % 1000000) + " " if with_stamps else "") + line)

        emit("[INFO] plugin/kubernetes: waiting for Kubernetes API before starting server")
        emit('[INFO] plugin/ready: Still waiting on: "kubernetes"')
        for kind in ("Service", "Namespace"):
            url = "https://%s:443/api/v1/%ss?limit=500&resourceVersion=0" % (API_IP, kind.lower())
            emit("[ERROR] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.27.4/tools/cache/reflector.go:231: Failed to watch *v1.%s: failed to list *v1.%s: Get \"%s\": dial tcp %s:443: i/o timeout" % (kind, kind, url, API_IP))
        emit('[INFO] plugin/kubernetes: Trace[1618033988]: "Reflector ListAndWatch" name:pkg/mod/k8s.io/client-go@v0.27.4/tools/cache/reflector.go:231 (28-Nov-2026 09:%02d:05.112) (total time: 30001ms):' % minute0)
        emit('Trace[1618033988]: ---"Objects listed" error:Get "https://%s:443/apis/discovery.k8s.io/v1/endpointslices?limit=500&resourceVersion=0": dial tcp %s:443: i/o timeout 30001ms (09:%02d:35.113)' % (API_IP, API_IP, minute0))
        emit("Trace[1618033988]: [30.001190554s] [30.001190554s] END")
        emit("[ERROR] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.27.4/tools/cache/reflector.go:231: Failed to watch *v1.EndpointSlice: failed to list *v1.EndpointSlice: Get \"https://%s:443/apis/discovery.k8s.io/v1/endpointslices?limit=500&resourceVersion=0\": dial tcp %s:443: i/o timeout" % (API_IP, API_IP))
        emit("[WARNING] plugin/kubernetes: starting server with unsynced Kubernetes API")
        for banner_line in BANNER.splitlines():
            emit(banner_line)
        emit("[ERROR] plugin/errors: 2 7311526483112254861.2265490172258436619. HINFO: read udp %s:41873->%s:53: i/o timeout" % (ip, UP1))
        emit("[ERROR] plugin/errors: 2 7311526483112254861.2265490172258436619. HINFO: read udp %s:53110->%s:53: i/o timeout" % (ip, UP2))
        names = [("example-api.com.", "A"), ("example-api.com.", "AAAA"), ("oss.example.com.", "A"), ("mysql.shop.internal.", "A")]
        port = 30000
        for i in range(lines_wanted):
            qname, qtype = names[i % len(names)]
            up = UP1 if i % 2 == 0 else UP2
            port += 337
            emit("[ERROR] plugin/errors: 2 %s %s: read udp %s:%d->%s:53: i/o timeout" % (qname, qtype, ip, port % 64000 + 1024, up))
            if i % 9 == 4:
                emit('[INFO] plugin/ready: Still waiting on: "kubernetes"')
        return "\n".join(out) + "\n"

    logs = {("kube-system", name, "coredns", True): run(50, False, 30),
            ("kube-system", name, "coredns", False): run(54, True, 40)}
    write("incident-single-replica-crashloop", items, logs, {("shop", "example-app"): APP_RESOLV_OK},
          {"worker-1": NODE_RESOLV, "worker-2": NODE_RESOLV},
          """# incident-single-replica-crashloop

Twist 1 of the incident: a single CoreDNS replica on worker-1, in CrashLoopBackOff (7 restarts, last exit
137 after liveness failures), its current (with `kubectl logs --timestamps` prefixes) and previous logs full
of i/o timeouts to both upstreams (198.18.2.11:53, 198.18.2.12:53, including the loop plugin's start-up
HINFO probes) and of reflector timeouts to the api-server 10.96.0.1:443. kube-dns has only a not-ready
address. Expected: single-replica, pod-unstable (caused by upstream-timeout and apiserver-unreachable),
no-ready-endpoints, upstream-timeout, apiserver-unreachable, all on node worker-1.
Constructed for the tests in the shapes of `kubectl get ... -o json` and CoreDNS 1.11 logs (make-fixtures.py).""")


def no_ready_endpoints():
    # The Deployment's pods carry k8s-app=coredns after an edit; the Service still selects k8s-app=kube-dns.
    labels = {"k8s-app": "coredns", "pod-template-hash": "8f9c6d4b7"}
    a = dns_pod("coredns-8f9c6d4b7-q2w3e", "worker-1", "198.18.1.33", labels=labels)
    b = dns_pod("coredns-8f9c6d4b7-r4t5y", "worker-2", "198.18.1.34", labels=labels)
    items = [deployment(2, 2, selector={"k8s-app": "coredns"}), a, b, service(), endpoints([], []),
             {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4", "endpoints": None, "ports": None,
              "metadata": meta("kube-dns-m8n9b", "kube-system", {"kubernetes.io/service-name": "kube-dns",
                                                                 "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"})},
             configmap(COREFILE_UPSTREAMS), node("worker-1", "198.18.0.10"), node("worker-2", "198.18.0.11")]
    logs = {("kube-system", a["metadata"]["name"], "coredns", False): BANNER,
            ("kube-system", b["metadata"]["name"], "coredns", False): BANNER}
    write("no-ready-endpoints", items, logs, None, None,
          """# no-ready-endpoints

Two healthy CoreDNS pods whose labels (k8s-app=coredns) no longer match the kube-dns Service selector
(k8s-app=kube-dns): the Endpoints object has no subsets and the EndpointSlice no endpoints. Expected:
no-ready-endpoints only, with the selector mismatch in its evidence.
Constructed for the tests (make-fixtures.py).""")


def forward_loop():
    loop_line = ('[FATAL] plugin/loop: Loop (127.0.0.1:%d -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting. '
                 'Query: "HINFO 4547991504243258144.3688648895315093531."')
    last = {"terminated": {"exitCode": 1, "reason": "Error", "startedAt": "2026-11-28T09:55:10Z", "finishedAt": "2026-11-28T09:55:11Z",
                           "containerID": "containerd://" + "1f" * 32}}
    waiting = lambda n: {"reason": "CrashLoopBackOff", "message": "back-off 2m40s restarting failed container=coredns pod=%s_kube-system(uid)" % n}
    a = dns_pod("coredns-77c9b8f5d-h6j7k", "worker-1", "198.18.1.35", ready=False, restarts=5, waiting=waiting("coredns-77c9b8f5d-h6j7k"), last=last,
                image="registry.k8s.io/coredns/coredns:v1.12.2")
    b = dns_pod("coredns-77c9b8f5d-l8m9n", "worker-2", "198.18.1.36", ready=False, restarts=5, waiting=waiting("coredns-77c9b8f5d-l8m9n"), last=last,
                image="registry.k8s.io/coredns/coredns:v1.12.2")
    items = [deployment(2, 0), a, b, service(), endpoints([], [a, b]), slice_([(a, False), (b, False)]), configmap(COREFILE_RESOLV),
             event(a, "BackOff", "Back-off restarting failed container coredns in pod coredns-77c9b8f5d-h6j7k_kube-system(uid)", 22, "2026-11-28T09:40:00Z", "2026-11-28T09:57:00Z"),
             event(b, "BackOff", "Back-off restarting failed container coredns in pod coredns-77c9b8f5d-l8m9n_kube-system(uid)", 21, "2026-11-28T09:40:05Z", "2026-11-28T09:57:10Z"),
             node("worker-1", "198.18.0.10"), node("worker-2", "198.18.0.11")]
    banner12 = BANNER.replace("CoreDNS-1.11.1", "CoreDNS-1.12.2").replace("go1.20.7, ae2bbc2", "go1.24.2, 6b1b2d5")
    logs = {}
    for p, port in ((a, 44021), (b, 51877)):
        logs[("kube-system", p["metadata"]["name"], "coredns", True)] = banner12 + (loop_line % port) + "\n"
        logs[("kube-system", p["metadata"]["name"], "coredns", False)] = banner12
    stub = "# systemd-resolved stub\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch lab.internal\n"
    write("forward-loop", items, logs, None, {"worker-1": stub, "worker-2": stub},
          """# forward-loop

CoreDNS 1.12.2 with `forward . /etc/resolv.conf` and dnsPolicy Default on nodes whose resolv.conf is the
systemd-resolved stub 127.0.0.53: each replica logs `[FATAL] plugin/loop: Loop (...) detected` in its
previous log and crash-loops (exit 1). Expected: forward-loop from the logs (per pod) and from the
configuration (per node), pod-unstable caused by forward-loop, single-replica, no-ready-endpoints.
Constructed for the tests (make-fixtures.py).""")


def nameserver_mismatch():
    a = dns_pod("coredns-6d4b75cb6d-a1b2c", "worker-1", "198.18.1.31")
    b = dns_pod("coredns-6d4b75cb6d-d3e4f", "worker-2", "198.18.1.32")
    app = app_pod()
    agent = app_pod("node-agent-z9x8", "monitoring", "worker-1", "198.18.0.10", host_network=True)
    items = [deployment(2, 2), a, b, app, agent, service(), endpoints([a, b], []), slice_([(a, True), (b, True)]), configmap(COREFILE_UPSTREAMS),
             node("worker-1", "198.18.0.10"), node("worker-2", "198.18.0.11")]
    logs = {("kube-system", a["metadata"]["name"], "coredns", False): BANNER,
            ("kube-system", b["metadata"]["name"], "coredns", False): BANNER}
    wrong = "search shop.svc.cluster.local svc.cluster.local cluster.local lab.internal\nnameserver 10.96.0.53\noptions ndots:5\n"
    write("nameserver-mismatch", items, logs, {("shop", "example-app"): wrong}, None,
          """# nameserver-mismatch

Healthy cluster DNS (kube-dns 10.96.0.10), but the app pod's collected resolv.conf names 10.96.0.53 (a
kubelet clusterDNS that does not match the Service). Also holds monitoring/node-agent-z9x8, a hostNetwork
pod with dnsPolicy ClusterFirst (falls back to the node's resolvers) for `--pod` tests.
Expected: pod.nameserver-mismatch for shop/example-app.
Constructed for the tests (make-fixtures.py).""")


def rbac_denied():
    a = dns_pod("coredns-74ff55c5b-s5d6f", "worker-1", "198.18.1.37", ready=False, image="registry.k8s.io/coredns/coredns:v1.8.3")
    b = dns_pod("coredns-74ff55c5b-g7h8j", "worker-2", "198.18.1.38", ready=False, image="registry.k8s.io/coredns/coredns:v1.8.3")
    items = [deployment(2, 0), a, b, service(), endpoints([], [a, b]), slice_([(a, False), (b, False)]), configmap(COREFILE_UPSTREAMS),
             event(a, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", 58, "2026-11-28T09:31:00Z", "2026-11-28T09:40:40Z"),
             node("worker-1", "198.18.0.10"), node("worker-2", "198.18.0.11")]
    banner = BANNER.replace("CoreDNS-1.11.1", "CoreDNS-1.8.3").replace("go1.20.7, ae2bbc2", "go1.16, 4293992").replace("SHA512 = 3f7a6c2d9e8b1a0f5c4d3e2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4938271605f4e3d2c1b0a9f8e7d6c5b4a3928170615f4e3d2c1b0a9f8", "MD5 = 2b6a1c4e8d0f3a5b7c9e1d3f5a7b9c0d")
    lines = [banner.rstrip("\n")]
    for i in range(6):
        lines.append("E1128 09:3%d:1%d.48%04d       1 reflector.go:138] pkg/mod/k8s.io/client-go@v0.20.2/tools/cache/reflector.go:167: Failed to watch *v1beta1.EndpointSlice: unknown (get endpointslices.discovery.k8s.io)" % (i, i, i * 37))
        lines.append('[INFO] plugin/ready: Still waiting on: "kubernetes"')
    text = "\n".join(lines) + "\n"
    logs = {("kube-system", a["metadata"]["name"], "coredns", False): text,
            ("kube-system", b["metadata"]["name"], "coredns", False): text}
    write("rbac-denied-logs", items, logs, None, None,
          """# rbac-denied-logs

CoreDNS 1.8.3 whose service account may not list EndpointSlices (the ClusterRole lacks
discovery.k8s.io): klog-native reflector lines `Failed to watch *v1beta1.EndpointSlice: unknown (get
endpointslices.discovery.k8s.io)` and readiness waiting on "kubernetes"; both replicas stay not ready.
Expected: cluster-dns.rbac-denied (not apiserver-unreachable: the api-server answered), single-replica,
no-ready-endpoints, pod-unstable (readiness probe failures).
Constructed for the tests (make-fixtures.py).""")


if __name__ == "__main__":
    healthy()
    incident()
    no_ready_endpoints()
    forward_loop()
    nameserver_mismatch()
    rbac_denied()
