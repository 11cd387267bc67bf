// The ECS troubleshooting graph: gather context → diagnose → plan → (interrupt for a human when a change needs
// approval) → apply → verify → report. Tools, the environments resource and completions all come from ops-mcp
// through @langchain/mcp-adapters; the model is real when a key is set (lib.mjs, chooseModel), scripted otherwise.
//
//   node ecs-troubleshooter.mjs --http http://127.0.0.1:8080/mcp
//   node ecs-troubleshooter.mjs --stdio java -jar ops-mcp.jar serve --transport stdio --sandbox --toolsets aws
//
// Which service: OPS_MCP_ECS_ACCOUNT / _CLUSTER / _SERVICE (default sandbox / shop / checkout, the sandbox's incident).
import { Annotation, Command, END, MemorySaver, MessagesAnnotation, START, StateGraph, interrupt } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import {
  SERVER, approvalNotice, callTool, chooseModel, firstLine, cliOptions, connect, denial, lastToolMessages, log, runWithApprovals, textOf,
} from "./lib.mjs";

const target = {
  account: process.env.OPS_MCP_ECS_ACCOUNT ?? "sandbox",
  cluster: process.env.OPS_MCP_ECS_CLUSTER ?? "shop",
  service: process.env.OPS_MCP_ECS_SERVICE ?? "checkout",
};

const INSTRUCTIONS = `You are an SRE agent working through ops-mcp's tools. Troubleshoot the ECS service you are given:
1. diagnose with ecs_troubleshoot;
2. plan: for the most severe finding, preview its suggested fix with the same tool and arguments plus "dry_run": true;
3. apply it (the same call without dry_run). If ops-mcp answers "approval required", stop calling tools: a human
   decides out of band, and you will be told the outcome. When approved, call the same tool again with the same
   arguments plus "approval_id";
4. verify with ecs_troubleshoot again, then answer with a short report (finding, change, verification). Never retry a
   denied call.`;

// The scripted model's turns (CI): the same steps a real model takes, its arguments read from ops-mcp's answers.
const fixPattern = /=> (ecs_\w+) (\{.*\})/;
function proposedFix(messages) {
  const diagnosis = messages.find((m) => ToolMessage.isInstance(m) && m.name === "ecs_troubleshoot");
  const match = diagnosis && fixPattern.exec(textOf(diagnosis.content));
  if (!match) throw new Error("scripted model: the diagnosis suggested no fix");
  return { tool: match[1], args: JSON.parse(match[2]) };
}
const scripted = [
  () => callTool("ecs_troubleshoot", target, "Diagnosing first."),
  (m) => {
    const fix = proposedFix(m);
    return callTool(fix.tool, { ...fix.args, dry_run: true }, "Plan: preview the suggested fix.");
  },
  (m) => {
    const fix = proposedFix(m);
    return callTool(fix.tool, fix.args, "Applying the fix.");
  },
  (m) => {
    const fix = proposedFix(m);
    const notice = m.filter((x) => ToolMessage.isInstance(x)).map(approvalNotice).filter(Boolean).at(-1);
    return callTool(fix.tool, { ...fix.args, approval_id: notice.approval_id }, "Approved: applying with the approval.");
  },
  () => callTool("ecs_troubleshoot", target, "Verifying."),
  (m) => {
    const [before, after] = m.filter((x) => ToolMessage.isInstance(x) && x.name === "ecs_troubleshoot").map((x) => textOf(x.content));
    const verdict = (t) => /verdict (\w+)/.exec(t)?.[1] ?? "unknown";
    return new AIMessage(
      `Report: ${target.service} was ${verdict(before)} (${/\(out_of_memory\)/.test(before) ? "tasks killed for memory" : "see findings"}); ` +
        `the approved change was applied; now ${verdict(after)}${/CRITICAL/.test(after) ? " with a critical finding left" : ", no critical finding left"}.`,
    );
  },
];

const State = Annotation.Root({ ...MessagesAnnotation.spec });

export async function main() {
  const opts = cliOptions();
  const client = connect(opts);
  try {
    const tools = await client.getTools();
    log("tools", `${tools.length} tools loaded from ops-mcp through @langchain/mcp-adapters over ${opts.http ? "streamable HTTP" : "stdio"}: ${tools.map((t) => t.name).join(", ")}`);
    const { name, model } = await chooseModel(scripted);
    log("model", name);
    const agent = model.bindTools(tools);
    const toolNode = new ToolNode(tools);

    const graph = new StateGraph(State)
      .addNode("gather_context", async () => {
        const [env] = await client.readResource(SERVER, "ops://environments");
        const environments = JSON.parse(env.text);
        const summary = Object.entries(environments.environments)
          .map(([k, v]) => `${k}: ${v.approval ? `${v.approval.min_approvals} approval(s) by ${v.approval.approver_roles.join("/")}` : "no approval"}`)
          .join("; ");
        log("context", `ops://environments as ${environments.principal} (${environments.roles.join(", ")}): ${summary}`);
        const mcp = await client.getClient(SERVER);
        const services = await mcp.complete({
          ref: { type: "ref/prompt", name: "troubleshoot_ecs_service" },
          argument: { name: "service", value: "" },
          context: { arguments: { account: target.account, cluster: target.cluster } },
        });
        log("context", `completion of service in ${target.account}/${target.cluster}: ${services.completion.values.join(", ")}`);
        if (!services.completion.values.includes(target.service)) {
          throw new Error(`service ${target.service} is not in cluster ${target.cluster} of account ${target.account}`);
        }
        return {
          messages: [
            new SystemMessage(INSTRUCTIONS),
            new HumanMessage(
              `Service ${target.service} in cluster ${target.cluster}, account ${target.account} is flapping. ` +
                `Environments and their approval rules: ${summary}. Other services there: ${services.completion.values.join(", ")}.`,
            ),
          ],
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
        // The graph stops here (checkpointed) until a human has decided; the runner resumes it with the decision.
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
      .addNode("report", (state) => {
        log("report", textOf(state.messages.at(-1).content));
        return {};
      })
      .addEdge(START, "gather_context")
      .addEdge("gather_context", "agent")
      .addConditionalEdges("agent", (s) => (s.messages.at(-1).tool_calls?.length ? "tools" : "report"))
      .addConditionalEdges("tools", (s) => {
        const results = lastToolMessages(s.messages);
        if (results.some((m) => denial(m))) return "agent";
        return results.some((m) => approvalNotice(m)) ? "approval_gate" : "agent";
      })
      .addEdge("approval_gate", "agent")
      .addEdge("report", END)
      .compile({ checkpointer: new MemorySaver() });

    await runWithApprovals(graph, {}, tools, opts, Command, `ecs-${target.service}-${Date.now()}`);
  } finally {
    await client.close();
  }
}

main().catch((e) => {
  log("failed", e?.stack ?? String(e));
  process.exitCode = 1;
});
