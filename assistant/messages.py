"""User-facing Chinese strings and LLM prompts, named in one place."""

from __future__ import annotations

NOT_FOUND = "规划中未提及：未找到能回答该问题的内容。"
NOT_FOUND_NAME = "规划中未提及“{name}”，无法回答该问题。"
NOT_FOUND_YEAR = "规划中未提及该年份的安排，无法回答该问题。"
NOT_FOUND_ENTITY_TOPIC = "规划中未提及{entity}在这方面的内容。"
NEAREST = "最接近的章节：{sections}。"
LIST_INTRO = "要点如下："
COUNT_INTRO = "共{n}{unit}："  # "共五条：" — a count in words, before the items it counts
SOURCES = "来源："

# --- server, API and UI (assistant/api.py, assistant/ui.py) ---
INDEX_BUILDING = "索引正在建立，请稍候再试 / the index is being built, try again shortly"
UNAUTHORIZED = (
    "缺少或错误的访问密钥：请在请求头中提供 Authorization: Bearer <密钥> / missing or wrong API key"
)
TOO_LARGE = "请求体过大（最多 {limit} 字节）/ request body larger than {limit} bytes"
INVALID_JSON = "请求体不是有效的 JSON / the request body is not valid JSON"
INVALID_REQUEST = "请求格式不正确 / invalid request: {detail}"
BAD_CONTENT_LENGTH = "Content-Length 无效 / invalid Content-Length header"
NO_USER_MESSAGE = "最后一条消息必须是用户的问题 / the last message must have role user"
TEXT_ONLY = "只支持文本消息 / only text content is supported"
INTERNAL = "服务器内部错误 / internal server error"

UI_TITLE = "规划问答助手"
UI_INTRO = "就规划文件提问，每个回答都附有出处：章节路径和原文，引用的句子以高亮标出。"
UI_PLACEHOLDER = "输入关于规划的问题，按回车发送"
UI_SEND = "发送"
UI_CLEAR = "清空对话"
UI_EXAMPLES_LABEL = "示例问题"
UI_EXAMPLES = (
    "阜新高新区主导产业是什么？",
    "到2020年省级以上高新区研发经费占GDP比重要达到多少？",
    "规划提出了哪些保障措施？",
    "沈阳高新区要建设哪些众创空间？",
)
UI_TAB_CHAT = "问答"
UI_TAB_BROWSE = "按章节浏览"
UI_TAB_TARGETS = "目标指标"
UI_TAB_ZONES = "高新区"
UI_DOC = "规划文件"
UI_SCOPE = "只在这些文件中查找（不选：全部文件）"
UI_SECTION = "章节"
UI_ZONE = "选择高新区"
UI_SOURCES = "出处"
UI_NOT_FOUND_BADGE = "规划中未找到"
UI_COMMENT = "对回答的意见（可选）"
UI_COMMENT_HINT = "先对回答点赞或点踩，再写意见并提交"
UI_COMMENT_SEND = "提交意见"
UI_FEEDBACK_THANKS = "已记录评价，谢谢！"
UI_COMMENT_THANKS = "已记录意见，谢谢！"
UI_COMMENT_FIRST = "请先对一条回答点赞或点踩。"
UI_LOGIN = "请输入访问密钥（用户名任意，密码填 ASSISTANT_API_KEY）"
UI_ERROR = "出错了：{message}"
UI_TARGET_HEADERS = ("指标", "数值", "单位", "年份", "类型", "章节", "原文")
UI_TARGET_KINDS = {"target": "目标", "baseline": "现状"}
UI_NO_PASSAGES = "该章节没有正文段落。"

# --- generative answers (assistant/llm.py, assistant/verify.py) ---
LLM_SYSTEM = """你是规划文件问答助手，只根据用户给出的编号段落回答问题。
要求：
1. 只用段落里的信息，不要补充段落以外的知识，不要推算或换算；数字、百分比、年份、金额和地名照原文抄写。
2. 每句话末尾用方括号标出依据的段落编号，例如“……比重达到2.8%[1]”；只能引用给出的编号。
3. 段落不能回答问题时，只回答“规划中未提及”，并用一句话说明缺少什么，不要引用编号。
4. 用简洁的中文直接作答，不超过200字，不要复述问题，不要使用标题。"""
LLM_PASSAGE = "[{n}] 出处：{source}\n{text}"
LLM_USER = "段落：\n{passages}\n\n问题：{question}"
LLM_REWRITE_SYSTEM = """把对话中用户的最后一个问题改写成一个不依赖上下文、可以单独理解的完整问题。
补全省略的地区、主语或话题，保留原问题的意思、数字和问法，不要回答问题，不要添加对话里没有的内容。
只输出改写后的问题这一行。"""
LLM_REWRITE_USER = "对话：\n{turns}\n\n用户最后的问题：{question}"
LLM_ROLE_USER = "用户"
LLM_ROLE_ASSISTANT = "助手"

# Why a generated answer was not shown (Answer.note; the extractive answer is shown instead).
NOTE_LLM_FAILED = "大模型不可用（{reason}），已改用原文摘录。"
NOTE_LLM_EMPTY = "大模型未给出答案，已改用原文摘录。"
NOTE_LLM_UNVERIFIED = "生成的答案未通过核对（{reason}），已改用原文摘录。"
NOTE_LLM_DECLINED = "大模型认为规划中未提及，但找到了相关原文，已改用原文摘录。"
NOTE_LLM_UNSUPPORTED = "检索到的原文不足以回答该问题，未采用大模型的回答。"
NOTE_LLM_PAUSED = "大模型连续{failures}次调用失败，暂停使用约{seconds}秒，已改用原文摘录。"
# The UI: the extract shown while the model's answer is generated and checked, and after it replaces it.
UI_UPGRADING = "正在生成答案并核对出处，先显示原文摘录……"
UI_ORIGINAL = "查看原文摘录"
UI_LLM_POOR = "提示：近期大模型生成的答案多数未通过核对，回答将主要显示原文摘录。"
LLM_TIMEOUT = "超时"
LLM_CONNECTION = "无法连接"
LLM_RATE_LIMIT = "请求过于频繁"
LLM_HTTP = "服务返回错误 {status}"
LLM_OTHER = "调用出错"
VERIFY_NUMBER = "数字“{value}”不在所引段落中"
VERIFY_NAME = "地名“{name}”不在所引段落中"
VERIFY_MARKER = "引用[{n}]不存在"
VERIFY_NO_CITATION = "答案没有标注引用"


# -- the document library (library.py) -------------------------------------------------------
BAD_FILE_NAME = "文件名无效：{name!r}，请改用普通文件名 / invalid file name {name!r}: use a plain file name"
NO_FILES = "没有收到文件 / no file was uploaded"
TOO_MANY_FILES = "一次最多上传 {limit} 个文件 / at most {limit} files per upload"
DUPLICATE = "“{name}”与文档库中的“{other}”内容相同，未重复添加 / {name} has the same content as {other}: not added again"
NOT_READY = "“{name}”正在处理（{status}），请稍后再试 / {name} is {status}: try again when it is ready"
NO_DOCUMENT = "文档库中没有这个文档：{id} / no document {id!r} in the library"
NO_JOB = "没有这个任务：{id} / no job {id!r}"
LAST_DOCUMENT = (
    "“{name}”是文档库中唯一的文档，请先添加其他文档再删除 / {name} is the only document: add another first"
)
OCR_MARK = "（该页含OCR识别内容，请以原文为准）"

# -- the 文档库 tab (ui_library.py) ------------------------------------------------------------
UI_TAB_LIBRARY = "文档库"
UI_LIB_UPLOAD = "上传文档（PDF、Word .docx、网页 .html、OFD、TXT、图片，可多选）"
UI_LIB_ADD = "加入文档库"
UI_LIB_REFRESH = "刷新"
UI_LIB_PICK = "选择文档"
UI_LIB_ENABLE = "启用"
UI_LIB_DISABLE = "停用"
UI_LIB_DELETE = "删除"
UI_LIB_NOTHING = "请先选择要上传的文件。"
UI_LIB_PICK_FIRST = "请先在上方选择一个文档。"
UI_LIB_INDEXING = "正在解析并建立索引…"
UI_LIB_NO_OUTLINE = "该文档尚无大纲（仍在处理或读取失败）。"
UI_LOADING = "界面加载中，请稍候…… / the page is loading"
NO_ROUTE = "没有这个地址：{path} / no such route: {path}"
BAD_METHOD = "{path} 不支持 {method} 请求 / {method} is not allowed on {path}"
BAD_MULTIPART = (
    "上传内容不是有效的 multipart 表单，请用字段 files 上传文件 / the upload is not a valid multipart form: "
    "send the files in the field `files`"
)
NOTE_LLM_NO_FIGURE = "生成的答案没有给出原文中所问的数字，已改用原文摘录。"
PATH_IN_NAME = "文件名不能包含路径：{name!r}，请只用文件名上传 / a file name may not contain a path: {name!r}"
