"""Metrics (Prometheus) and structured JSON logs for a node.

Each node owns its own metrics registry (several nodes can run in one process, as in the demo
and in tests); `hotline run` logs one JSON object per line to stderr.
"""

from __future__ import annotations

import logging
import sys

import structlog
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class NodeMetrics:
    """The figures an operator or a monitoring system watches."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.envelopes_in = Counter(
            "hotline_envelopes_in_total",
            "Envelopes received and stored",
            ["peer", "kind"],
            registry=r,
        )
        self.envelopes_out = Counter(
            "hotline_envelopes_out_total", "Envelopes sealed by this node", ["kind"], registry=r
        )
        self.envelopes_rejected = Counter(
            "hotline_envelopes_rejected_total",
            "Envelopes refused (bad signature, chain, ...)",
            ["peer", "reason"],
            registry=r,
        )
        self.receipts_in = Counter(
            "hotline_receipts_in_total", "Receipts from peers that advanced", ["peer"], registry=r
        )
        self.retries = Counter(
            "hotline_retries_total",
            "Batches sent again after a failure",
            ["peer", "bearer"],
            registry=r,
        )
        self.link_up = Gauge(
            "hotline_link_up",
            "1 if the bearer's last exchange succeeded",
            ["peer", "bearer"],
            registry=r,
        )
        self.unreceipted = Gauge(
            "hotline_unreceipted_envelopes",
            "Own envelopes a peer has not receipted yet",
            ["peer"],
            registry=r,
        )
        self.ack_latency = Histogram(
            "hotline_ack_latency_seconds",
            "Release to peer operator acknowledgement",
            ["precedence"],
            registry=r,
            buckets=(10, 30, 60, 120, 300, 600, 1800, 3600, 10800, 21600),
        )
        self.receipt_latency = Histogram(
            "hotline_receipt_latency_seconds",
            "Release to peer node receipt",
            ["peer"],
            registry=r,
            buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1, 5, 30, 300),
        )
        self.overdue = Gauge(
            "hotline_acks_overdue",
            "Notifications past their acknowledgement window",
            ["direction"],
            registry=r,
        )
        self.clock_skew = Gauge(
            "hotline_peer_clock_skew_seconds",
            "Measured peer clock minus ours",
            ["peer"],
            registry=r,
        )


def configure_json_logs(level: int = logging.INFO) -> None:
    """One JSON object per line on stderr, for the node process (stdlib logs included)."""
    processors: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*processors, structlog.processors.JSONRenderer()],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.JSONRenderer(),
            ],
            foreign_pre_chain=[*processors, structlog.stdlib.add_logger_name],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
