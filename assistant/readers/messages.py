"""The readers' user-facing messages ("中文 / English"), each naming the file and what to do."""

from __future__ import annotations

from ..errors import UnreadableDocument

EMPTY = "「{name}」是空文件，没有可读的内容。请检查文件后重新上传。 / {name} is empty: there is nothing to read. Check the file and upload it again."
TOO_LARGE = "「{name}」太大（{size} MB，上限 {limit} MB）。请拆分后再上传。 / {name} is too large ({size} MB; the limit is {limit} MB). Split it and upload the parts."
TOO_MANY_PAGES = "「{name}」页数过多（{pages} 页，上限 {limit} 页）。请拆分后再上传。 / {name} has too many pages ({pages}; the limit is {limit}). Split it and upload the parts."
OLD_OFFICE = (
    "「{name}」是旧版 Word (.doc) 或加密的 Office 文件，无法读取。请在 Word/WPS 中另存为 .docx（不设密码）后上传。"
    " / {name} is an old Word (.doc) or an encrypted Office file. Save it as .docx (without a password) in Word or WPS and upload that."
)
RTF = "「{name}」是 RTF 文件。请在 Word/WPS 中另存为 .docx 后上传。 / {name} is an RTF file. Save it as .docx in Word or WPS and upload that."
UNSUPPORTED = (
    "「{name}」的格式不受支持（{what}）。支持：PDF、Word (.docx)、网页 (.html)、OFD、图片 (PNG/JPEG)、文本 (.txt/.md)。"
    " / {name} is not a supported format ({what}). Supported: PDF, Word (.docx), web pages (.html), OFD, images (PNG/JPEG), text (.txt/.md)."
)
ENCRYPTED = (
    "「{name}」有密码保护，无法读取。请去除密码（或另存一份未加密的文件）后上传。"
    " / {name} is password-protected. Remove the password (or save an unencrypted copy) and upload that."
)
DAMAGED = (
    "「{name}」已损坏或不完整（{detail}），无法读取。请重新下载或导出后上传。"
    " / {name} is damaged or incomplete ({detail}). Download or export it again and upload that."
)
ZIP_BOMB = (
    "「{name}」解压后过大或压缩比异常（{detail}），可能是压缩炸弹，已拒绝。请检查文件来源。"
    " / {name} expands too much when unzipped ({detail}), a possible zip bomb, and was refused. Check where the file came from."
)
NO_TEXT = (
    "「{name}」中没有可读取的文字。请确认文件内容，或上传带文字层的版本。"
    " / {name} has no readable text. Check its content, or upload a version with a text layer."
)
NEEDS_OCR = (
    "「{name}」第 {pages} 页只有图像、没有文字层，需要文字识别 (OCR)，但未安装 OCR 组件。请运行 make setup（安装 ocr 扩展）后重试，或上传带文字层的版本。"
    " / {name}: page(s) {pages} are images without a text layer and need OCR, which is not installed. Run make setup (it installs the ocr extra) and try again, or upload a version with a text layer."
)
IMAGE_NEEDS_OCR = (
    "「{name}」是图片，需要文字识别 (OCR)，但未安装 OCR 组件。请运行 make setup（安装 ocr 扩展）后重试。"
    " / {name} is an image and needs OCR, which is not installed. Run make setup (it installs the ocr extra) and try again."
)


def unreadable(template: str, name: str, status: int = 422, **fields: object) -> UnreadableDocument:
    """The error for `name`, with the message `template` filled in.

    Example: unreadable(EMPTY, "a.pdf").status -> 422
    """
    return UnreadableDocument(template.format(name=name, **fields), status)
