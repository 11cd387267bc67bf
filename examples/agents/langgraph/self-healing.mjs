// The self-healing loop: take an alert → diagnose → propose the fix (preview) → apply it, which waits for a human's
// approval (LangGraph interrupt) → verify → take the next alert. The loop ends when there is no alert, after
// --max-cycles, or when ops-mcp's policy refuses the change through its circuit breaker (too many changes to one
// resource in an hour): the guard, not the agent, bounds a loop that keeps "fixing" the same thing.
//
//   node self-healing.mjs --http http://127.0.0.1:8080/mcp [--source alerts|pipelines] [--max-cycles 10]
//                         [--max-alerts N] [--project shop/checkout]
//
// Alerts come from an AlertSource (--source):
// - alerts (default): AlertsSubscription subscribes to ops-mcp's `ops://alerts/active` resource (fed by Alertmanager,
//   CloudWatch/SNS and GitLab webhooks) and wakes on `notifications/resources/updated`; each firing alert is handled
//   once (again only when it fires again), starting from `alert_get` and its suggested first diagnostic.
//   --max-alerts N ends the loop once N alerts were handled and all of them resolved (CI); without it the graph
//   waits for alerts until --max-wait-s passes without a notification.
// - pipelines: PipelineFailures polls gitlab_pipelines for --project's newest pipeline and raises an alert while it
//   has failed.
import { Annotation, Command, END, MemorySaver, MessagesAnnotation, REMOVE_ALL_MESSAGES, START, StateGraph, interrupt } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { AIMessage, HumanMessage, RemoveMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import {
  SERVER, approvalNotice, callTool, chooseModel, firstLine, cliOptions, connect, denial, lastToolMessages, log, runWithApprovals, structuredOf, textOf,
} from "./lib.mjs";

/**
 * Where alerts come from. `next()` resolves to the next alert to handle, or null when there is none:
 * {source, summary, …}: any object the INSTRUCTIONS' model can read. `stopReason` says why next() gave null.
 * @typedef {{ next(): Promise<object|null>, stopReason?: string }} AlertSource
 */

const ACTIVE = "ops://alerts/active";

/**
 * Alerts from ops-mcp itself: subscribes (MCP `resources/subscribe`, through the SDK client under the adapter) to
 * `ops://alerts/active`, the firing alerts the caller may see, and reads it again at each
 * `notifications/resources/updated`. An alert is handled once per firing: the key is its id and `starts_at`, so the
 * same alert firing again (a new `starts_at`) is handled again. A handled alert that leaves the active list is read
 * (`ops://alerts/{id}`) and reported with its `linked_changes`, the audit records of the changes made while it fired.
 */
class AlertsSubscription {
  constructor(client, { maxAlerts, maxWaitMs }) {
    this.client = client;
    this.maxAlerts = maxAlerts;
    this.maxWaitMs = maxWaitMs;
    this.handled = new Map(); // id@starts_at -> {id, resolved}
    this.updates = 0; // notifications received; a notification during a read is not lost
    this.seen = 0;
    this.wake = null;
    this.stopReason = null;
  }

  async start() {
    const mcp = await this.client.getClient(SERVER);
    mcp.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      log("notification", `notifications/resources/updated ${n.params.uri}`);
      this.updates++;
      this.wake?.();
    });
    await mcp.subscribeResource({ uri: ACTIVE });
    log("subscribe", `resources/subscribe ${ACTIVE}: waiting for notifications/resources/updated`);
  }

  async read(uri) {
    const [content] = await this.client.readResource(SERVER, uri);
    return JSON.parse(content.text);
  }

  async next() {
    let deadline = Date.now() + this.maxWaitMs;
    for (;;) {
      if (this.updates !== this.seen) deadline = Date.now() + this.maxWaitMs; // idle time counts from the last one
      this.seen = this.updates;
      const active = await this.read(ACTIVE);
      const firing = new Set(active.map((a) => `${a.id}@${a.starts_at}`));
      for (const [key, h] of this.handled) {
        if (h.resolved || firing.has(key)) continue;
        const a = await this.read(`ops://alerts/${h.id}`);
        if (a.status === "firing" && `${a.id}@${a.starts_at}` === key) continue; // not visible in the list (limit)
        h.resolved = true;
        const linked = (a.linked_changes ?? []).map((n) => `audit #${n}`).join(", ") || "none";
        log("resolved", `${a.id} ${a.name} on ${a.resource?.name ?? "?"} is ${a.status}; linked changes: ${linked}`);
      }
      const fresh = active.find((a) => a.status === "firing" && !this.handled.has(`${a.id}@${a.starts_at}`));
      if (fresh && !(this.maxAlerts && this.handled.size >= this.maxAlerts)) {
        this.handled.set(`${fresh.id}@${fresh.starts_at}`, { id: fresh.id, resolved: false });
        return { source: "ops-mcp alerts", summary: `${fresh.name} firing on ${fresh.resource?.name ?? "?"} (${fresh.id})`, id: fresh.id };
      }
      if (this.maxAlerts && this.handled.size >= this.maxAlerts && [...this.handled.values()].every((h) => h.resolved)) {
        this.stopReason = `${this.handled.size} alert(s) handled and resolved`;
        return null;
      }
      if (this.updates === this.seen) {
        const left = deadline - Date.now();
        if (left <= 0) {
          this.stopReason = `no alert notification for ${this.maxWaitMs / 1000} s`;
          return null;
        }
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, left);
          this.wake = () => { clearTimeout(timer); resolve(); };
        });
        this.wake = null;
      }
    }
  }
}

/** Alerts from GitLab: the project's newest pipeline on its default branch, while it has failed. */
class PipelineFailures {
  constructor(tools, project) {
    this.pipelines = tools.find((t) => t.name === "gitlab_pipelines");
    this.project = project;
    if (!this.pipelines) throw new Error("ops-mcp offered no gitlab_pipelines tool (start it with --toolsets gitlab)");
  }

  async next() {
    const message = await this.pipelines.invoke({
      type: "tool_call", id: "alert-poll", name: "gitlab_pipelines", args: { project: this.project, ref: "main" },
    });
    const newest = structuredOf(message)?.pipelines?.[0];
    if (!newest || newest.status !== "failed") return null;
    return {
      source: "gitlab pipelines",
      summary: `pipeline #${newest.id} failed on ${newest.ref} @ ${newest.sha.slice(0, 8)} in ${this.project}`,
      project: this.project,
      pipeline_id: newest.id,
    };
  }
}

const INSTRUCTIONS = `You are a self-healing agent working through ops-mcp's tools. For the alert you are given:
1. diagnose it: for an alert from ops-mcp (it has an "id"), alert_get first, then the first tool it suggests with the
   suggested arguments (ecs_troubleshoot for an ECS service); for a failed pipeline gitlab_pipeline_failure_analysis;
   take the fix the diagnosis suggests;
2. propose the fix: preview it first with "dry_run": true, then make the same call without dry_run;
3. if ops-mcp answers "approval required", stop calling tools: a human decides and you will be told. When approved,
   call the same tool again with the same arguments plus "approval_id";
4. verify (the same diagnostic again; for a pipeline, the project's newest pipelines on main) and answer with one
   line: what you changed and what the verification showed. Never retry a denied call.`;

// The scripted model's turns for one alert (CI), its arguments read from ops-mcp's answers.
function analysisStep(messages) {
  const analysis = messages.find((m) => ToolMessage.isInstance(m) && m.name === "gitlab_pipeline_failure_analysis");
  const step = structuredOf(analysis)?.jobs?.map((j) => j.next_step).find((s) => s?.tool === "gitlab_propose_fix");
  if (!step) throw new Error("scripted model: the analysis proposed no fix");
  return step;
}
function alertOf(messages) {
  return JSON.parse(/ALERT (\{.*\})/.exec(textOf(messages.find((m) => HumanMessage.isInstance(m)).content))[1]);
}
const pipelineTurns = [
  (m) => {
    const alert = alertOf(m);
    return callTool("gitlab_pipeline_failure_analysis", { project: alert.project, pipeline_id: alert.pipeline_id }, "Diagnosing the failed pipeline.");
  },
  (m) => callTool("gitlab_propose_fix", { ...analysisStep(m).arguments, dry_run: true }, "Previewing the proposed fix."),
  (m) => callTool("gitlab_propose_fix", analysisStep(m).arguments, "Proposing the fix."),
  (m) => {
    const notice = m.filter((x) => ToolMessage.isInstance(x)).map(approvalNotice).filter(Boolean).at(-1);
    return callTool("gitlab_propose_fix", { ...analysisStep(m).arguments, approval_id: notice.approval_id }, "Approved: proposing with the approval.");
  },
  (m) => callTool("gitlab_pipelines", { project: alertOf(m).project, ref: "main" }, "Verifying: is main green again?"),
  (m) => {
    const applied = m.filter((x) => ToolMessage.isInstance(x) && x.name === "gitlab_propose_fix").at(-1);
    const mr = /merge request (!\d+)/.exec(textOf(applied.content))?.[1] ?? "(none)";
    const pipelines = m.filter((x) => ToolMessage.isInstance(x) && x.name === "gitlab_pipelines").at(-1);
    const newest = structuredOf(pipelines)?.pipelines?.[0];
    return new AIMessage(
      `fix proposed in merge request ${mr}; main's newest pipeline #${newest?.id} is ${newest?.status}` +
        (newest?.status === "failed" ? " (healed once the merge request is merged and its pipeline passes)" : ""),
    );
  },
];

// For an alert from ops-mcp: alert_get → its suggested first tool → the fix that diagnosis suggests.
function suggestedFirst(messages) {
  const got = messages.find((m) => ToolMessage.isInstance(m) && m.name === "alert_get");
  const first = structuredOf(got)?.suggested?.[0];
  if (!first) throw new Error("scripted model: alert_get suggested no first tool");
  return first;
}
function diagnosisFix(messages) {
  const tool = suggestedFirst(messages).tool;
  const diagnosis = messages.find((m) => ToolMessage.isInstance(m) && m.name === tool);
  const match = diagnosis && /=> (\w+) (\{.*\})/.exec(textOf(diagnosis.content));
  if (!match) throw new Error(`scripted model: ${tool} suggested no fix`);
  return { tool: match[1], args: JSON.parse(match[2]) };
}
const alertTurns = [
  (m) => callTool("alert_get", { id: alertOf(m).id }, "What is it, what changed, what to run first?"),
  (m) => {
    const first = suggestedFirst(m);
    return callTool(first.tool, first.arguments, `Diagnosing with the suggested ${first.tool}.`);
  },
  (m) => {
    const fix = diagnosisFix(m);
    return callTool(fix.tool, { ...fix.args, dry_run: true }, "Previewing the suggested fix.");
  },
  (m) => {
    const fix = diagnosisFix(m);
    return callTool(fix.tool, fix.args, "Applying the fix.");
  },
  (m) => {
    const fix = diagnosisFix(m);
    const notice = m.filter((x) => ToolMessage.isInstance(x)).map(approvalNotice).filter(Boolean).at(-1);
    return callTool(fix.tool, { ...fix.args, approval_id: notice.approval_id }, "Approved: applying with the approval.");
  },
  (m) => {
    const first = suggestedFirst(m);
    return callTool(first.tool, first.arguments, "Verifying.");
  },
  (m) => {
    const fix = diagnosisFix(m);
    const first = suggestedFirst(m);
    const runs = m.filter((x) => ToolMessage.isInstance(x) && x.name === first.tool).map((x) => textOf(x.content));
    const verdict = (t) => /verdict (\w+)/.exec(t ?? "")?.[1] ?? "unknown";
    return new AIMessage(`${fix.tool} applied for alert ${alertOf(m).id}; ${first.tool} was ${verdict(runs[0])}, now ${verdict(runs.at(-1))}`);
  },
];

// One script per kind of alert; the turn is chosen by the number of AI messages in this alert's conversation.
const scripted = alertTurns.map((_, i) => (m) => {
  const turns = alertOf(m).source === "ops-mcp alerts" ? alertTurns : pipelineTurns;
  return turns[Math.min(i, turns.length - 1)](m);
});

const State = Annotation.Root({
  ...MessagesAnnotation.spec,
  cycle: Annotation({ reducer: (_, b) => b, default: () => 0 }),
  stopped: Annotation({ reducer: (_, b) => b, default: () => null }),
});

export async function main() {
  const opts = cliOptions({
    source: { type: "string", default: "alerts" },
    project: { type: "string", default: "shop/checkout" },
    "max-cycles": { type: "string", default: "10" },
    "max-alerts": { type: "string", default: "0" },
  });
  const values = opts.values;
  const maxCycles = Number(values["max-cycles"]);
  const client = connect(opts);
  try {
    const tools = await client.getTools();
    log("tools", `${tools.length} tools loaded from ops-mcp through @langchain/mcp-adapters over ${opts.http ? "streamable HTTP" : "stdio"}`);
    const { name, model } = await chooseModel(scripted);
    log("model", name);
    /** @type {AlertSource} */
    let alerts;
    if (values.source === "alerts") {
      alerts = new AlertsSubscription(client, { maxAlerts: Number(values["max-alerts"]), maxWaitMs: opts.maxWaitMs });
      await alerts.start();
    } else if (values.source === "pipelines") {
      alerts = new PipelineFailures(tools, values.project);
    } else {
      throw new Error(`--source must be alerts or pipelines, not ${values.source}`);
    }
    const agent = model.bindTools(tools);
    const toolNode = new ToolNode(tools);

    const graph = new StateGraph(State)
      .addNode("watch", async (state) => {
        if (state.cycle >= maxCycles) return { stopped: `${maxCycles} cycles done` };
        const alert = await alerts.next();
        if (!alert) return { stopped: alerts.stopReason ?? "no alert" };
        log("alert", `cycle ${state.cycle + 1}: ${alert.summary} (from ${alert.source})`);
        // Each alert is a fresh conversation: the model's context does not grow with the loop.
        return {
          cycle: state.cycle + 1,
          messages: [new RemoveMessage({ id: REMOVE_ALL_MESSAGES }), new SystemMessage(INSTRUCTIONS), new HumanMessage(`ALERT ${JSON.stringify(alert)}`)],
        };
      })
      .addNode("agent", async (state) => {
        const reply = await agent.invoke(state.messages);
        for (const call of reply.tool_calls ?? []) log("call", `${call.name} ${JSON.stringify(call.args)}`);
        return { messages: [reply] };
      })
      .addNode("tools", async (state) => {
        const out = await toolNode.invoke(state);
        for (const m of out.messages) {
          const notice = approvalNotice(m);
          const first = firstLine(m);
          log("result", `${m.name}: ${notice ? `approval required (${notice.approval_id})` : m.status === "error" ? `error: ${first}` : first}`);
        }
        return out;
      })
      .addNode("approval_gate", async (state) => {
        const notice = lastToolMessages(state.messages).map(approvalNotice).find(Boolean);
        const decision = interrupt({
          approval_id: notice.approval_id,
          tool: notice.tool,
          change: notice.change,
          min_approvals: notice.min_approvals,
          approver_roles: notice.approver_roles,
        });
        const outcome = decision.status === "approved"
          ? `Approval ${notice.approval_id} is approved. Call ${notice.tool} again with the same arguments plus "approval_id": "${notice.approval_id}".`
          : `Approval ${notice.approval_id} was not given (status ${decision.status}). Do not apply the change; report.`;
        return { messages: [new HumanMessage(outcome)] };
      })
      .addNode("verified", (state) => {
        log("verified", textOf(state.messages.at(-1).content));
        return {};
      })
      .addNode("stop", (state) => {
        const reason = state.stopped ?? lastToolMessages(state.messages).map(denial).find(Boolean);
        log("stop", reason);
        return { stopped: reason };
      })
      .addEdge(START, "watch")
      .addConditionalEdges("watch", (s) => (s.stopped ? "stop" : "agent"))
      .addConditionalEdges("agent", (s) => (s.messages.at(-1).tool_calls?.length ? "tools" : "verified"))
      .addConditionalEdges("tools", (s) => {
        const results = lastToolMessages(s.messages);
        // The policy's circuit breaker refused the change: stop the loop instead of trying again.
        if (results.some((m) => /circuit breaker/.test(denial(m) ?? ""))) return "stop";
        return results.some((m) => approvalNotice(m)) ? "approval_gate" : "agent";
      })
      .addEdge("approval_gate", "agent")
      .addEdge("verified", "watch")
      .addEdge("stop", END)
      .compile({ checkpointer: new MemorySaver() });

    const end = await runWithApprovals(graph, {}, tools, opts, Command, `self-healing-${Date.now()}`);
    log("done", `${end.cycle} cycle(s); stopped: ${end.stopped}`);
  } finally {
    await client.close();
  }
}

main().catch((e) => {
  log("failed", e?.stack ?? String(e));
  process.exitCode = 1;
});
