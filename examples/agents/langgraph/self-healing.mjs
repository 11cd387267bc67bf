// The self-healing loop: take an alert → diagnose → propose the fix (preview) → apply it, which waits for a human's
// approval (LangGraph interrupt) → verify → take the next alert. The loop ends when there is no alert, after
// --max-cycles, or when ops-mcp's policy refuses the change through its circuit breaker (too many changes to one
// resource in an hour): the guard, not the agent, bounds a loop that keeps "fixing" the same thing.
//
//   node self-healing.mjs --http http://127.0.0.1:8080/mcp [--project shop/checkout] [--max-cycles 10]
//
// Alerts come from an AlertSource. Today's is PipelineFailures: it polls gitlab_pipelines for the project's newest
// pipeline and raises an alert while it has failed. An alert feed from ops-mcp itself (a resource the agent
// subscribes to) plugs in as another AlertSource without changing the graph: see AlertSource below.
import { Annotation, Command, END, MemorySaver, MessagesAnnotation, REMOVE_ALL_MESSAGES, START, StateGraph, interrupt } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { AIMessage, HumanMessage, RemoveMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import {
  approvalNotice, callTool, chooseModel, firstLine, cliOptions, connect, denial, lastToolMessages, log, runWithApprovals, structuredOf, textOf,
} from "./lib.mjs";

/**
 * Where alerts come from. `next()` resolves to the next alert to handle, or null when there is none:
 * {source, summary, project, pipeline_id} today; any object the INSTRUCTIONS' model can read.
 * @typedef {{ next(): Promise<object|null> }} AlertSource
 */

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
1. diagnose it (gitlab_pipeline_failure_analysis for a failed pipeline) and take the analysis' next step;
2. propose the fix: preview it first with "dry_run": true, then make the same call without dry_run;
3. if ops-mcp answers "approval required", stop calling tools: a human decides and you will be told. When approved,
   call the same tool again with the same arguments plus "approval_id";
4. verify (the project's newest pipelines on main) and answer with one line: what you changed and
   what the verification showed. Never retry a denied call.`;

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
const scripted = [
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

const State = Annotation.Root({
  ...MessagesAnnotation.spec,
  cycle: Annotation({ reducer: (_, b) => b, default: () => 0 }),
  stopped: Annotation({ reducer: (_, b) => b, default: () => null }),
});

export async function main() {
  const opts = cliOptions({
    project: { type: "string", default: "shop/checkout" },
    "max-cycles": { type: "string", default: "10" },
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
    const alerts = new PipelineFailures(tools, values.project);
    const agent = model.bindTools(tools);
    const toolNode = new ToolNode(tools);

    const graph = new StateGraph(State)
      .addNode("watch", async (state) => {
        if (state.cycle >= maxCycles) return { stopped: `${maxCycles} cycles done` };
        const alert = await alerts.next();
        if (!alert) return { stopped: "no alert" };
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
