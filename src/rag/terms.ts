// Words of a task as find_operation compares them: normalised (case, accents), stemmed, stop words
// dropped, and the task's intent (a question, a
// policy or how-to question) read from its wording.

const STOP = new Set(
  (
    'a an the to of for and or in on at my our we us i me you your is are was were be been do does did it its this that these those ' +
    'all can could would should will want need please with by from as about into any some there here just then than so get got let lets have has had ' +
    'what which who whom whose when where why how much many give show tell find list display see look up out over'
  ).split(' '),
);

/**
 * The caller's own access ("can I post invoices with my login", "have I got access to…", "why can't
 * I see the finance stuff") is whoami's, not a document's; someone else's ("who has a login") is a
 * list of users. One vocabulary: it marks the request for whoami and keeps it from the documents.
 */
const OWN_ACCESS =
  /\b(am i|can i|are we|i am) (allowed|able|permitted) to (do|see|use|access)\b|\b(with|on|under|from) my (own )?(login|log in|user|account|role|access)\b|\bwhy (can ?not|can'?t|am i not able to|do ?n'?t) i (see|access|use|open|view|get to)\b|\b(my (own )?(login|log in|user|access|permissions?|rights|role)|(have i|do i|i) (got |have )?(access|permission|the rights?) to|can i access)\b/;

/** "new account", "set up an account", "create a new account": which kind is told by what follows. */
const NEW_ACCOUNT = String.raw`\b((?:new|open|set up|setup|create|add) (?:a |an )?(?:new )?)account\b`;

const NORMAL: [RegExp, string][] = [
  [/p\s*&\s*l|p and l/g, 'profit loss'],
  [/\bk\.?p\.?i\.?s?\b/g, 'kpi'],
  // An address names no thing: "orders@littlefox.co.uk" is an email, not an order.
  [/\b[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+/g, 'email'],
  [/\be-?mail/g, 'email'],
  // A case counted or priced is a pack of goods, not a support case: "3 cases of syrup", "£38 a case".
  [/\bcases? of\b/g, 'packs of'],
  [/\b([0-9]+) cases?\b/g, '$1 packs'],
  [/([0-9]) (a|per) case\b/g, '$1 $2 pack'],
  [/\bre-?(score|stock|activate|enable|open)/g, 're$1'],
  // Doing again what a tool does once: "re-index the manual", "reupload the handbook".
  [/\bre-?(index|upload|import|ingest|load)(ed|ing|es|s)?\b/g, '$1'],
  [/\bfulfil\b/g, 'fulfill'],
  // British and American spellings meet: finalise/finalize, cancelled/canceled, ageing/aging.
  [/\b([a-z]{4,})is(e|ed|es|ing|ation)\b/g, '$1iz$2'],
  [/\bcancell/g, 'cancel'],
  [/\bageing\b/g, 'aging'],
  // Shorthand of the trade, typed on phones: "cust 57", "pmt", "qty", "convo 12".
  [/\bcusts?\b/g, 'customer'],
  [/\baccts?\b/g, 'account'],
  // The ledger's accounts have four-digit codes (1100, 4000): "account 150" is a customer's, and so
  // is a "trade account".
  [/\baccount #?(?=[0-9]{1,3}\b)/g, 'customer '],
  [/\btrade accounts?\b/g, 'trade customer'],
  // An existing record named by its number is opened to be seen, not made: "open customer 57".
  [
    /\bopen (up )?(?=(customer|order|invoice|ticket|lead|supplier|product|payment|journal entry|conversation|approval) #?[0-9]+\b)/g,
    'show ',
  ],
  // "a new account" is a colleague's login when the rest names a colleague, and a customer's when
  // it gives an email, a phone number or an address; otherwise the ledger's word stands.
  [
    new RegExp(
      NEW_ACCOUNT +
        String.raw`(?=[^.?!]*\b(?:login|log in|sign in|colleague|staff|employee|starter|new hire|bookkeeper|accountant|clerk|team member|works? (?:here|for us)|starts|starting|joins|joining|as (?:a |an |our )?(?:new )?(?:sales )?rep|role)\b)`,
      'g',
    ),
    '$1user login',
  ],
  [
    new RegExp(
      NEW_ACCOUNT +
        String.raw`(?=[^?!]*(?:@|\b0[0-9]{2,4} ?[0-9]{3,4} ?[0-9]{3,4}\b|\b(?:street|st|road|rd|lane|avenue|ave|phone|tel|mobile|email|e-mail)\b))`,
      'g',
    ),
    '$1customer account',
  ],
  // "what % of enquiries…": a share asked for, not a discount ("10% off").
  [/%\s*of\b/g, ' percentage of'],
  [/\bprods?\b/g, 'product'],
  [/\bp(?:y)?mts?\b/g, 'payment'],
  [/\bqty\b/g, 'quantity'],
  [/\bje\b/g, 'journal entry'],
  [/\b(phone|tel|mobile) no\b/g, '$1 number'],
  // Slips in words too short for the typo mender (src/rag/typos.ts mends six letters and more).
  [/\b(stok|stck|sotck|stokc)\b/g, 'stock'],
  [/\b(ordr|odrer|oder)\b/g, 'order'],
  [/\bwh?[ao]ts\b/g, 'whats'],
  // A file named by its path is a document: "docs/terms-2027.md", "handbook.pdf".
  [/[a-z0-9_/.-]*\.(md|markdown|pdf|txt|docx?)\b/g, ' document '],
  // Goods thrown away by the count are written off: "bin 12 of the old chains", "chuck 3 boxes".
  [
    /\b(bin|binned|scrap|scrapped|chuck|chucked|toss|tossed|dump|dumped|throw out|threw out|throw away|threw away) ([0-9]+)(?= (of|x|units?|pcs|pieces|boxes|packs?|[a-z]{3,}s)\b)/g,
    'write off $2',
  ],
  // A contact detail taken away is changed, not a fact forgotten: "remove the email off customer 77".
  [
    /\b(remove|delete|clear|drop|wipe|take) (the |their |his |her |that )?(old )?(email|phone|mobile|landline|address|number)\b/g,
    'update the $4',
  ],
  // Whether a role may approve is an approval rule: "can finance sign off stock adjustments?"; not
  // when one approval is named by its number ("can admin approve this one, approval 44").
  [
    /\b(can|may|could) (the )?(admins?|finance|sales|inventory|warehouse|managers?|viewers?|analysts?)( team| role| people)? (approve|sign off|authori[sz]e)\b(?![^0-9]*[0-9])/g,
    'who can approve',
  ],
  // A key in quotes ("wipe the 'credit_hold' thing") is a fact remembered about a customer.
  [/['"‘][a-z]+(_[a-z]+)+['"’]/g, ' fact '],
  // A count changed by a number is a stock adjustment: "add 1 to product 60", "take 2 off stock".
  [
    /\b(add|take|knock) ([0-9]+) (to|onto|off|from) (?=(the )?(stock|product|sku|item|count|inventory|on hand)\b)/g,
    'adjust $2 $3 ',
  ],
  [/\bsupps?\b/g, 'supplier'],
  [/\bconvos?\b/g, 'conversation'],
  [/\bmsgs?\b/g, 'message'],
  [/\binvs\b/g, 'invoices'],
  [/\bdocs\b/g, 'documents'],
  [/\bdoc\b/g, 'document'],
  [/\b(gmail|hotmail|outlook|yahoo|icloud)\b/g, 'email'],
  // Jargon of the trades: goods received notes, returns authorisations, standard procedures, SQL.
  [/\bgrns?\b/g, 'goods received'],
  // The paper that comes with goods is no note to remember: "delivery note DN44821".
  [/\b(delivery|dispatch|despatch|advice|consignment) (notes?|dockets?|slips?)\b/g, 'goods received paperwork'],
  [/\brmas?\b/g, 'tickets'],
  [/\bsops?\b/g, 'procedure'],
  [/\bkb\b/g, 'knowledge base'],
  [/\batp\b/g, 'available stock'],
  // A request that is itself SQL (only at its start: the catalogue's texts mention SELECT too).
  [/^\s*select\b[^;]{0,200}?\bfrom\b/, 'sql select query'],
  // "how much are the 90L sacks", "how much is a tin of the lemon": what something costs, unless
  // the rest of the clause is about money owed, taken or held.
  [
    /\bhow much (?:(?:is|are|do|does|would|will) )?(?=(?:the|a|an|those|these|your|one|each)\b(?![^.?!,]*\b(?:owe|owed|owing|due|outstanding|left|paid|pay|spent|spend|sold|sell|selling|made|make|bill|billed|invoiced?|invoices|orders?|ordered|worth|stock|have|got|balance|payments?|credit|customers?|suppliers?|accounts?|tax|vat|revenue|profit|sales|takings|cash|bank|discount|refund|we|they|he|she)\b))/g,
    'price of ',
  ],
  [new RegExp(OWN_ACCESS.source, 'g'), '$& whoami'],
  // "credit Acme 50 for the late delivery", "credit them £20": money given back is a credit note;
  // beside a debit, a credit is one side of a journal entry.
  [
    /(?<!\bdebit\b.*)\bcredit\s+((?:them|him|her|the customer|customer [0-9]+)\s+)?(?=[£$€]?[0-9])/g,
    'issue credit note $1',
  ],
  // Fillers that name nothing and only break phrases: "what can you actually do", "right now".
  [/\bright (now|away|here)\b|\bstraight away\b|\basap\b/g, 'now'],
  [/\b(actually|really|basically|literally|exactly|possibly)\b/g, ''],
];

/** Nouns the stemmer would merge with another word: "takings" are no "take", "movements" no "move". */
const WHOLE = new Map([
  ['takings', 'takings'],
  ['lately', 'lately'],
  ['shopper', 'shopper'],
  ['shoppers', 'shopper'],
  ['rights', 'rights'],
  ['movement', 'movement'],
  ['movements', 'movement'],
]);

const strip = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');

/** A light suffix stemmer: the same on the catalogue and the task, so only consistency matters. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  const whole = WHOLE.get(w);
  if (whole) return whole;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  // Two rounds, so that "ordered" meets "order" (ord) and "delivered" meets "deliver".
  for (let round = 0; round < 2; round += 1) {
    const suffix = ['ing', 'ed', 'ment', 'ly', 'er', 'ion'].find((x) => w.endsWith(x) && w.length - x.length >= 3);
    if (!suffix) break;
    // shipped, logged, putting → ship, log, put (not l, s, d, f: bill, pass, add, staff stay whole)
    w = w.slice(0, -suffix.length).replace(/([bgmnprt])\1$/, '$1');
  }
  return w.replace(/e$/, '');
}

export function rawWords(text: string): string[] {
  let t = strip(text.toLowerCase()).replace(/_/g, ' ').replace(/'s\b/g, '');
  for (const [re, to] of NORMAL) t = t.replace(re, to);
  return t.match(/[a-z][a-z0-9]*|[0-9]+/g) ?? [];
}

/** Stemmed content words, then bigrams of neighbouring content words ("owe money" → "ow money"). */
export function terms(text: string): string[] {
  const stems = rawWords(text)
    .filter((w) => !STOP.has(w) && !/^[0-9]+$/.test(w))
    .map(stem);
  const bigrams = stems.slice(1).map((s, i) => `${stems[i]}_${s}`);
  return [...stems, ...bigrams];
}

const QUESTION_START =
  /^(who|what|whats|which|when|where|why|how|whose|is|are|was|were|do|does|did|have|has|can|could|may|should|must|show|list|display|give me|tell me|any|are there|is there)\b/;
const POLICY =
  /\b(polic(y|ies)|handbook|sops?|kb articles?|wiki|(?<!\bor )manuals?(?! (entry|entries|journals?|bookings?|postings?|adjustments?)\b)|procedure|guideline|guidelines|terms and conditions|our terms|(payment|standard|trading|delivery|shipping|credit|sales) terms|warranty|allowed to|rules|rule (for|on|about)|what does the .* say)\b/;
const HOW_TO =
  /(?:^|[-–—:;.!?]\s+)(how (do|should|can|must) (i|we|you)|how to|what (do|should|must) (i|we) do (if|when|about)|what happens (if|when)|what is the (process|procedure)|what('s| is) the ((right|best|proper|correct|safe|safest) )?way to)\b|\b(steps? (to|for)|step by step|check ?list|guidance|guide (to|for|on)|best practice|what('?s| is) the (rule|process|procedure))\b/;
/**
 * A question about what is allowed or usual, not about a record: "can customers return opened
 * items?", "do we ship to Ireland?", "how long do we keep invoices?". One that names a record by
 * number ("can we cancel order 42?") asks about that record instead.
 */
const NORM =
  /^((can|may|should|must) ((the |our )?([a-z-]+ )?(people|customers?|clients?|staff|employees?)|someone|anyone|they|we|i) (?!(see|look|view|get|have|check|find|show|list|pull)\b)|(do|does) (we|you|the shop|the company) (do(?! any)|offer|accept|allow|charge|give|ship|deliver|provide|refund|take|need|require|replace|exchange|repair|swap|collect|install|price match|match|honou?r|cover|guarantee|reimburse|pay for|let)|how long (do|does|should|must|can|may)|(is|are) (we|staff|employees|customers) (allowed|supposed|required)|(is|are) (we|the shop|the store|the office) (open|closed|shut)|(is it|are we|am i) (ok|okay|alright|fine|acceptable) to)\b/;
const NORM_FACTS =
  /\b((am i|are we|is staff|are staff) supposed to|(how many|how long|what) (days?|weeks?)('|s)? (of )?credit|(days?|weeks?) (do|does) [a-z ]{1,30}? (get|have) to pay|credit (terms|period)|minimum (order|spend|quantity|qty)|(shipping|delivery|freight|postage|carriage|courier) (times?|costs?|charges?|rates?|zones?|fees?))\b/;

/**
 * Matters of the workplace and of the shop's promises that no record holds, only its documents:
 * leave and sickness, shifts, dress, expenses, guarantees, cut-off times, trade prices and what
 * staff may grant ("up to what discount can sales staff give without asking?").
 */
const WORKPLACE = new RegExp(
  [
    '(days?|weeks?) (of )?(holiday|annual leave|leave)',
    'holiday (allowance|entitlement|pay|requests?|days?)',
    '(annual|sick|maternity|paternity|parental|compassionate|unpaid|study) leave',
    'time off',
    'day off',
    'off sick',
    'sick (days?|pay|notes?)',
    '(call|calling|phone|phoning|ring|ringing) in sick',
    'sickness',
    'absences?',
    '(swap|cover|change|pick up|drop|swapping|covering) (a |my |the |someone.s )?shifts?',
    'shifts? (swaps?|patterns?|cover|changes?)',
    '(my|a|next|night|late|early|weekend|saturday|sunday) shift',
    'rota',
    'overtime',
    '(lunch|tea|coffee) breaks?',
    'dress code',
    'uniforms?',
    'what (to|can i|should i|do i) wear',
    'expenses? claims?',
    'claim(ing)? (back )?(my )?(expenses|mileage|travel)',
    'mileage',
    'guarantee[ds]?',
    'warrant(y|ies)',
    '(returns?|refund|exchange) (policy|window|period)',
    '(the |a )cut[- ]?off',
    'cut[- ]?off (time|point|for)',
    '(same|next)-day',
    '(same|next) day (dispatch|despatch|delivery|shipping)',
    '(opening|closing) (hours|times?)',
    'delivery (area|radius)',
    'free (delivery|shipping|freight|postage)',
    '(charge|charges|charging|cost|costs) (for|of) (the )?(freight|shipping|delivery|postage|carriage)',
    '(price|pricing) (bands?|breaks?|levels?)',
    'tier(s|ed)?(?! ?[0-9])',
    '(volume|bulk|quantity|loyalty) (discounts?|pricing|rebates?)',
    'trade pricing',
    'click and collect',
    'price match(ing)?',
    'health and safety',
    'safety',
    'safely',
    'hazard(ous)?',
    'fire (drill|alarm|exit|safety|procedure)',
    'first aid',
    '(gets?|got|getting) hurt',
    'injur(y|ies|ed)',
    'accident book',
    'notice period',
    '(how much|how many (days|weeks)) notice',
    'hand in (my |your )?notice',
    'resign(ing|ation)?',
    'probation',
    'pay ?(day|slips?)',
    'pensions?',
    'trade (price|prices|discount|discounts)',
    'wholesale price list',
    '(what|how much) discount (can|may|should|could|am i|are we|is)',
    'discount (limits?|authority)',
    'without (asking|checking with|permission|getting permission)',
  ]
    .map((topic) => `\\b${topic}\\b`)
    .join('|'),
);
/** "how long do customers take to pay on average" asks a figure the data gives, not a norm. */
const MEASURED = /\b(on average|average|typically|usually|take to pay|days to pay)\b/;

const AMOUNTS =
  /[£$€]\s?[0-9][0-9,.]{0,15}|\b[0-9][0-9,.]{0,15}\s?(%|percent|pounds?|dollars?|euros?|quid|grand|k\b|hours?|hrs?|days?|weeks?|months?|minutes?|mins?|years?)/g;
/** A question that says where its answer is written: the documents, whatever it is about. */
const DOCUMENT_REFERENCE =
  /\b(according to (the|our) (procedures?|policy|policies|handbook|manual|rules|guidelines)|in the (staff )?(handbook|manual|procedures?|policy|policies))\b/;
const APPROVAL_RULES = /\b(approv\w*|sign[ -]?off|four eyes|second (person|pair of eyes))\b/;

export interface Intent {
  question: boolean;
  policy: boolean;
  /** It asks what the caller may do here ("can I post invoices with my login?"): whoami's. */
  ownAccess: boolean;
}

/** An indirect question ("please let me know which…", "can you check whether…") is still one. */
const ASKING =
  /^((please|pls|hi|hey|quick one|just)[ ,!-]*)*((can|could|would) you (please )?)?(let me know|tell me|find out|check (whether|if)|see (if|whether)|i('d| would) like to (know|see)|i (want|need) to (know|see)|wondering|do you know|remind me( of)?|explain)\b[ ,]*/;

/** "customer 30 wants to know why…": someone else's question is still one. */
const WONDERING = /\b(wants?|wanted|would like|needs?|asking|asked) to know\b|\bwondering\b/;
/** A symptom to look into ("the stock looks too high", "doesn't add up") asks to see, not to change. */
const SYMPTOM =
  /\b(looks?|seems?|looking) ((too|a bit|a little|way|far|very|rather|much) )*(high|low|wrong|off|odd|weird|strange|funny)\b|\b(do|does) ?n[o']?t (look right|add up|match|agree|tally)\b/;

/** A record named by its number: "put ticket 8 on pending, waiting on the warranty" is about ticket 8. */
const RECORD =
  /\b(tickets?|orders?|invoices?|inv|leads?|approvals?|payments?|conversations?|journals?|entry|entries) #?[0-9]+\b/;
/**
 * A prospect's enquiry about a topic ("filled in the contact form asking about bulk pricing") is a
 * lead's; a customer who asked about the warranty still wants the answer the documents give.
 */
const THIRD_PARTY = /\b((contact|web|website|online|enquiry) form|enquir(y|ies|ed|ing)|inquir(y|ies|ed|ing))\b/;
/** A question after a dash or a colon: "acct 150 - what's outstanding", "the credit note request — where's it at". */
const LATER_QUESTION = /(\s[-–—]+\s*|[;:]\s*)(who|what|whats|which|when|where|wheres|why|how)\b/;

export function intentOf(text: string): Intent {
  const whole = strip(text.toLowerCase()).trim();
  const t = whole.replace(ASKING, '');
  const asks =
    t !== whole ||
    t.endsWith('?') ||
    QUESTION_START.test(t) ||
    LATER_QUESTION.test(t) ||
    /\bhow (many|much)\b/.test(t) ||
    WONDERING.test(t) ||
    SYMPTOM.test(t);
  // The ERP keeps its own approval rules (list_approval_policies): those are not a document's.
  // Amounts and durations ("over £200", "under 50 dollars", "48 hours") name no record.
  const norm = (NORM.test(t) || NORM_FACTS.test(t)) && !/[0-9]/.test(t.replace(AMOUNTS, '')) && !MEASURED.test(t);
  const topic = (POLICY.test(t) || WORKPLACE.test(t)) && (asks || !(RECORD.test(t) || THIRD_PARTY.test(t)));
  const ownAccess = OWN_ACCESS.test(t);
  const policy =
    DOCUMENT_REFERENCE.test(t) || ((topic || HOW_TO.test(t) || norm) && !APPROVAL_RULES.test(t) && !ownAccess);
  return { question: policy || asks, policy, ownAccess };
}
