// A result from the core (`ToJson::to_js`) as the value its TypeScript type
// describes. A result type with a reader here comes as a tape (json_out.rs,
// `Out::tape`): numbers the core wrote into its memory, read through a
// Float64Array, and one string holding the result's strings one after
// another. The tape starts with the reader's tag; the core writes each
// value in the order its JSON would have it, so a reader takes them in that
// order and makes objects with their members in the order the types (and
// the JSON) list them. A string is its UTF-16 length (the next slice of
// the strings); a bool 0 or 1; a list its length, then its items; an
// absent optional member NaN. `JSON.parse` of a single-item search result
// (a few groups and one conversation) cost a tenth of the call: it makes
// every key; these readers make objects from literals. Any other result
// (no tape) is JSON text.

let tape = null;
let at = 0;
let strings = "";
let from = 0;

const num = () => tape[at++];
const bool = () => tape[at++] === 1;
const str = () => strings.slice(from, (from += tape[at++]));
/** `read()`, or undefined where the member is absent (NaN). */
const opt = (read) => {
  if (tape[at] === tape[at]) return read();
  at++;
  return undefined;
};
const list = (read) => {
  const n = tape[at++];
  const items = new Array(n);
  for (let i = 0; i < n; i++) items[i] = read();
  return items;
};
const nums = () => list(num);

// Conversation: tag 1 (c2c) or 2 (group), then its ID.
const conversation = () => (tape[at++] === 1 ? { type: "c2c", toAccount: str() } : { type: "group", toGroupId: str() });
// ConversationResult
const result = () => ({ conversation: conversation(), ok: bool(), resultCode: num(), resultInfo: str() });
// UpdateConversationResult
const update = () => ({ conversation: conversation(), action: str(), ok: bool(), resultCode: num(), resultInfo: str() });
// ConversationGroup
const group = () => ({ groupName: str(), groupId: num() });
// MarkedConversation
const marked = () => {
  const item = { conversation: conversation(), standardMarks: nums() };
  const customMark = opt(str);
  if (customMark !== undefined) item.customMark = customMark;
  item.groupIds = nums();
  const timestamp = opt(num);
  if (timestamp !== undefined) item.timestamp = timestamp;
  return item;
};
// ConversationListItem
const listed = () => {
  const item = { conversation: conversation(), msgTime: num(), pinned: bool() };
  const standardMarks = opt(nums);
  if (standardMarks !== undefined) item.standardMarks = standardMarks;
  const customMark = opt(str);
  if (customMark !== undefined) item.customMark = customMark;
  const groupIds = opt(nums);
  if (groupIds !== undefined) item.groupIds = groupIds;
  return item;
};
// A group write's head: groupName, oldGroupName (renames only), groupId.
const head = () => {
  const groupName = str();
  const oldGroupName = opt(str);
  return oldGroupName === undefined ? { groupName, groupId: num() } : { groupName, oldGroupName, groupId: num() };
};
const withCursor = (value) => {
  const nextCursor = opt(str);
  if (nextCursor !== undefined) value.nextCursor = nextCursor;
  return value;
};

// By the tag each result type's `ToJson::JS` gives it.
const READERS = [
  undefined,
  // 1 MarkConversationsResult
  () => ({ results: list(result) }),
  // 2 ConversationListPage
  () => withCursor({ conversations: list(listed) }),
  // 3 DeleteConversationGroupResult, RenameConversationGroupResult
  head,
  // 4 CreateConversationGroupResult
  () => {
    const value = head();
    value.results = list(result);
    return value;
  },
  // 5 ConversationGroups
  () => ({ groups: list(group), conversations: list(marked) }),
  // 6 ConversationGroupsPage
  () => withCursor({ groups: list(group), conversations: list(marked) }),
  // 7 UpdateConversationGroupResult
  () => {
    const value = head();
    value.results = list(update);
    return value;
  },
];

/**
 * The value of a result: `text` is its JSON when `numbers` is empty, else
 * its strings, and `numbers` its tape (a Float64Array over wasm memory, or
 * an array in the tests).
 */
export function readResult(text, numbers) {
  if (numbers === undefined || numbers.length === 0) return JSON.parse(text);
  const read = READERS[numbers[0]];
  if (read === undefined) throw new Error(`tim-recentcontact: no reader for result tag ${numbers[0]}`);
  tape = numbers;
  at = 1;
  strings = text;
  from = 0;
  try {
    const value = read();
    if (at !== numbers.length || from !== text.length) throw new Error("tim-recentcontact: a result's tape was not read to its end");
    return value;
  } finally {
    // Nothing of wasm memory stays reachable from here.
    tape = null;
    strings = "";
  }
}
