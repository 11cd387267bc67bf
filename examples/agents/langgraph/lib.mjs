// Shared pieces of the two graphs: the connection to ops-mcp through @langchain/mcp-adapters, the chat model
// (a real one when its key is set, a scripted one otherwise), reading ops-mcp's answers, the out-of-band
// approval wait, and the transcript. Nothing here knows an ops-mcp tool by hand: tools come from tools/list.
import { MultiServerMCPClient } from "@langchain/mcp-adapters";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, ToolMessage } from "@langchain/core/messages";
import { parseArgs } from "node:util";

/** The MCP server's name in the adapter's config; tool names are not prefixed with it. */
export const SERVER = "ops";

/**
 * Command line shared by both graphs.
 * --http URL        ops-mcp's streamable HTTP endpoint (…/mcp); OPS_MCP_API_KEY is sent as the bearer key
 * --stdio CMD…      spawn ops-mcp over stdio (everything after --stdio is the command line)
 * --max-wait-s N    how long to wait for a human's decision on one approval (default 600)
 */
export function cliOptions(extra = {}, argv = process.argv.slice(2)) {
  const split = argv.indexOf("--stdio");
  const own = split < 0 ? argv : argv.slice(0, split);
  const stdio = split < 0 ? null : argv.slice(split + 1);
  const { values } = parseArgs({
    args: own,
    options: {
      http: { type: "string" },
      "max-wait-s": { type: "string", default: "600" },
      "poll-ms": { type: "string", default: "500" },
      ...extra,
    },
  });
  if (!values.http === !stdio || (stdio && stdio.length === 0)) {
    throw new Error("usage: node <graph>.mjs [--max-wait-s N] (--http URL | --stdio COMMAND ARGS…)");
  }
  return {
    http: values.http ?? null,
    stdio,
    maxWaitMs: Number(values["max-wait-s"]) * 1000,
    pollMs: Number(values["poll-ms"]),
    values,
  };
}

/** One MultiServerMCPClient with ops-mcp as its only server, over streamable HTTP or stdio. */
export function connect(opts) {
  const connection = opts.http
    ? {
        transport: "http",
        url: opts.http,
        automaticSSEFallback: false,
        headers: process.env.OPS_MCP_API_KEY ? { Authorization: `Bearer ${process.env.OPS_MCP_API_KEY}` } : undefined,
      }
    : { transport: "stdio", command: opts.stdio[0], args: opts.stdio.slice(1), stderr: "inherit" };
  return new MultiServerMCPClient({
    mcpServers: { [SERVER]: connection },
    throwOnLoadError: true,
    prefixToolNameWithServerName: false,
    onConnectionError: "throw",
  });
}

/** Prints one transcript line: `[tag] text`. run-ci.sh and the README read these tags. */
export function log(tag, text) {
  process.stdout.write(`[${tag}] ${text}\n`);
}

/** The text of a message's content (a string or content blocks). */
export function textOf(content) {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((b) => (typeof b === "string" ? b : b.text ?? "")).join("\n");
  return "";
}

/**
 * ops-mcp's structured result of a tool message: the adapter keeps MCP `structuredContent` as an artifact
 * ({type: "mcp_structured_content", data}) and, for a single text block, on the content block itself.
 */
export function structuredOf(message) {
  const artifacts = Array.isArray(message.artifact) ? message.artifact : [];
  const found = artifacts.find((a) => a?.type === "mcp_structured_content");
  if (found) return found.data;
  const block = Array.isArray(message.content) ? message.content.find((b) => b?.structuredContent) : null;
  return block?.structuredContent ?? null;
}

/** The approval notice in a tool message (ops-mcp's `status: approval_required` result), or null. */
export function approvalNotice(message) {
  const s = structuredOf(message);
  return s && s.status === "approval_required" && typeof s.approval_id === "string" ? s : null;
}

/**
 * The reason of a refusal by the policy, or null. The adapter turns an MCP error result into a ToolException, which
 * ToolNode puts in an error ToolMessage ("Error: MCP tool 'x' on server 'ops' returned an error: Denied by policy: …").
 */
export function denial(message) {
  const match = /Denied by policy: ([^\n]*)/.exec(textOf(message.content));
  return message.status === "error" && match ? match[1].trim() : null;
}

/** The first line of a tool message, without the adapter's and ToolNode's wrapping of errors. */
export function firstLine(message) {
  const text = textOf(message.content).replace(/^Error: MCP tool '[^']*' on server '[^']*' returned an error: /, "");
  return text.split("\n")[0];
}

/** The tool messages that followed the last AI message. */
export function lastToolMessages(messages) {
  const out = [];
  for (let i = messages.length - 1; i >= 0 && ToolMessage.isInstance(messages[i]); i--) out.unshift(messages[i]);
  return out;
}

/**
 * Waits for a human's decision on one approval, given out of band (`ops-mcp approvals approve ID` or
 * `POST /approvals/ID/approve` by an approver): polls the `approval_status` tool, as loaded through the
 * adapter, until the status is no longer `approval_required`. Returns ops-mcp's structured status.
 */
export async function waitForDecision(tools, approvalId, { maxWaitMs, pollMs }) {
  const status = tools.find((t) => t.name === "approval_status");
  if (!status) throw new Error("ops-mcp offered no approval_status tool (is it excluded by tools.include?)");
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const message = await status.invoke({
      type: "tool_call",
      id: `poll-${approvalId}`,
      name: "approval_status",
      args: { approval_id: approvalId },
    });
    const s = structuredOf(message) ?? {};
    if (s.status && s.status !== "approval_required") return s;
    if (Date.now() > deadline) return { ...s, status: "timed_out" };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Runs a compiled graph on one thread until it ends. At each interrupt raised by an approval gate it prints the
 * change and the approval id, waits for the out-of-band decision and resumes with it (Command({resume})).
 */
export async function runWithApprovals(graph, input, tools, opts, Command, threadId) {
  const config = { configurable: { thread_id: threadId }, recursionLimit: 100 };
  let next = input;
  for (;;) {
    const state = await graph.invoke(next, config);
    const pending = state.__interrupt__ ?? [];
    if (pending.length === 0) return state;
    const req = pending[0].value;
    log("interrupt", `approval required: ${req.approval_id} for ${req.tool}`);
    log("interrupt", `change: ${req.change}`);
    log("interrupt", `needs ${req.min_approvals} approval(s) from ${(req.approver_roles ?? []).join("/")}; waiting for a human (ops-mcp approvals approve ${req.approval_id})`);
    const decision = await waitForDecision(tools, req.approval_id, opts);
    log("resume", `${req.approval_id} is ${decision.status}${decision.approvers?.length ? ` by ${decision.approvers.map((a) => a.principal ?? a).join(", ")}` : ""}`);
    next = new Command({ resume: decision });
  }
}

/**
 * A scripted chat model for CI and offline runs: each turn is a function of the conversation that returns the
 * next AI message (tool calls or the final answer). The turn is chosen by the number of AI messages so far, so a
 * resumed thread continues where it stopped.
 */
export class ScriptedChatModel extends BaseChatModel {
  constructor(turns) {
    super({});
    this.turns = turns;
  }

  _llmType() {
    return "scripted";
  }

  bindTools(tools) {
    this.boundTools = tools.map((t) => t.name);
    return this;
  }

  async _generate(messages) {
    const turn = messages.filter((m) => AIMessage.isInstance(m)).length;
    const step = this.turns[Math.min(turn, this.turns.length - 1)];
    const out = step(messages);
    const message = out instanceof AIMessage ? out : new AIMessage(out);
    for (const call of message.tool_calls ?? []) {
      if (this.boundTools && !this.boundTools.includes(call.name)) {
        throw new Error(`scripted model: ${call.name} is not among the tools loaded from ops-mcp`);
      }
    }
    return { generations: [{ text: textOf(message.content), message }] };
  }
}

let callSeq = 0;
/** One AI message with one tool call. */
export function callTool(name, args, text = "") {
  return new AIMessage({ content: text, tool_calls: [{ id: `call_${++callSeq}`, name, args, type: "tool_call" }] });
}

/**
 * The chat model: Anthropic when ANTHROPIC_API_KEY is set, OpenAI when OPENAI_API_KEY is set, Amazon Bedrock when
 * BEDROCK_MODEL_ID is set (AWS credentials from the default chain); otherwise the scripted model. Provider
 * packages are optional dependencies, loaded only when used. AGENT_MODEL names the model id.
 */
export async function chooseModel(scripted) {
  if (process.env.OPS_MCP_AGENT_SCRIPTED !== "1") {
    if (process.env.ANTHROPIC_API_KEY) {
      const { ChatAnthropic } = await import("@langchain/anthropic");
      return { name: "anthropic", model: new ChatAnthropic({ model: process.env.AGENT_MODEL ?? "claude-sonnet-4-5", temperature: 0 }) };
    }
    if (process.env.OPENAI_API_KEY) {
      const { ChatOpenAI } = await import("@langchain/openai");
      return { name: "openai", model: new ChatOpenAI({ model: process.env.AGENT_MODEL ?? "gpt-4.1", temperature: 0 }) };
    }
    if (process.env.BEDROCK_MODEL_ID) {
      const { ChatBedrockConverse } = await import("@langchain/aws");
      return { name: "bedrock", model: new ChatBedrockConverse({ model: process.env.BEDROCK_MODEL_ID, temperature: 0 }) };
    }
  }
  return { name: "scripted", model: new ScriptedChatModel(scripted) };
}
