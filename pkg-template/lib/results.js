// A result's text from the core (`ToJson::to_js_json`) as the value its
// TypeScript type describes. Lists of conversations come as rows —
// `{"$rows":"<tag>","v":[[…],…]}`, each item an array of its fields — a
// third of the text and about half the time of parsing keyed objects; they
// are made into objects here, fields in the order the types list them, an
// absent optional field left out (as the keyed JSON leaves it out). Rows
// only appear as a top-level member of a result.

const conversation = (type, id) => (type === 1 ? { type: "c2c", toAccount: id } : { type: "group", toGroupId: id });

const ROWS = {
  // ConversationListItem: [type, id, msgTime, pinned, standardMarks, customMark, groupIds]
  L: (r) => {
    const item = { conversation: conversation(r[0], r[1]), msgTime: r[2], pinned: r[3] };
    if (r[4] !== null) item.standardMarks = r[4];
    if (r[5] !== null) item.customMark = r[5];
    if (r[6] !== null) item.groupIds = r[6];
    return item;
  },
  // MarkedConversation: [type, id, standardMarks, customMark, groupIds, timestamp]
  M: (r) => {
    const item = { conversation: conversation(r[0], r[1]), standardMarks: r[2] };
    if (r[3] !== null) item.customMark = r[3];
    item.groupIds = r[4];
    if (r[5] !== null) item.timestamp = r[5];
    return item;
  },
  // ConversationResult: [type, id, ok, resultCode, resultInfo]
  R: (r) => ({ conversation: conversation(r[0], r[1]), ok: r[2], resultCode: r[3], resultInfo: r[4] }),
  // UpdateConversationResult: [type, id, action, ok, resultCode, resultInfo]
  U: (r) => ({ conversation: conversation(r[0], r[1]), action: r[2], ok: r[3], resultCode: r[4], resultInfo: r[5] }),
};

/** The value of a result's text (rows made into objects). */
export function readResult(text) {
  const value = JSON.parse(text);
  if (value === null || typeof value !== "object") return value;
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (member !== null && typeof member === "object" && typeof member.$rows === "string") {
      const make = ROWS[member.$rows];
      const rows = member.v;
      const list = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) list[i] = make(rows[i]);
      value[key] = list;
    }
  }
  return value;
}
