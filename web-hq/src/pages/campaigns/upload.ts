/** Headers a page may not set (the browser sets them itself); a presigned upload's list may name them. */
const FORBIDDEN = new Set(['content-length', 'host', 'connection', 'accept-encoding', 'expect']);

export function settableHeaders(headers: readonly { name: string; value: string }[]) {
  return headers.filter((h) => !FORBIDDEN.has(h.name.toLowerCase()));
}

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/**
 * Sends a file to a presigned URL with XHR (fetch has no upload progress), reporting progress 0…1.
 * Rejects with an UploadError carrying the storage's `code` when it refuses the bytes.
 */
export function uploadWithProgress(opts: {
  url: string;
  method: string;
  headers: readonly { name: string; value: string }[];
  body: Blob;
  onProgress: (fraction: number) => void;
  signal?: AbortSignal;
}): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(opts.method || 'PUT', opts.url);
    for (const h of settableHeaders(opts.headers)) xhr.setRequestHeader(h.name, h.value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        opts.onProgress(1);
        resolve();
        return;
      }
      let code = 'UPLOAD_FAILED';
      let message = `The upload was refused (HTTP ${xhr.status})`;
      try {
        const body = JSON.parse(xhr.responseText) as { errors?: { message: string; extensions?: { code?: string } }[] };
        const first = body.errors?.[0];
        if (first) {
          message = first.message;
          code = first.extensions?.code ?? code;
        }
      } catch {
        // not JSON: keep the status
      }
      reject(new UploadError(message, xhr.status, code));
    };
    xhr.onerror = () => reject(new UploadError('The upload did not reach the storage', 0, 'NETWORK_ERROR'));
    xhr.onabort = () => reject(new UploadError('The upload was cancelled', 0, 'CANCELLED'));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(opts.body);
  });
}

export type CreativeKind = 'IMAGE' | 'VIDEO' | 'HTML';

/** The creative kind a file's type allows, or null when the platform does not take it. */
export function kindOf(mimeType: string, name = ''): CreativeKind | null {
  if (mimeType.startsWith('image/')) return 'IMAGE';
  if (mimeType.startsWith('video/')) return 'VIDEO';
  if (mimeType === 'text/html' || mimeType === 'application/zip' || /\.(html?|zip)$/i.test(name)) return 'HTML';
  return null;
}

/** The file's MIME type, filling in the ones browsers leave empty. */
export function mimeOf(file: { type: string; name: string }): string {
  if (file.type) return file.type;
  if (/\.html?$/i.test(file.name)) return 'text/html';
  if (/\.zip$/i.test(file.name)) return 'application/zip';
  return 'application/octet-stream';
}

/** A video's length, read from its metadata in the browser (createCreativeUpload requires it for VIDEO). */
export function videoDurationMs(file: Blob): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const video = document.createElement('video');
    video.preload = 'metadata';
    video.onloadedmetadata = () => {
      URL.revokeObjectURL(url);
      if (Number.isFinite(video.duration)) resolve(Math.round(video.duration * 1000));
      else reject(new Error('The video has no readable duration'));
    };
    video.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('The video could not be read'));
    };
    video.src = url;
  });
}

/**
 * An image's or video's pixel size, read in the browser (the library shows it, and the orientation warning and
 * per-orientation versions follow from it); null for HTML or when the file cannot be read.
 */
export function mediaSize(file: Blob, kind: CreativeKind): Promise<{ width: number; height: number } | null> {
  if (kind === 'HTML') return Promise.resolve(null);
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const done = (size: { width: number; height: number } | null) => {
      URL.revokeObjectURL(url);
      resolve(size && size.width > 0 && size.height > 0 ? size : null);
    };
    if (kind === 'IMAGE') {
      const img = new Image();
      img.onload = () => done({ width: img.naturalWidth, height: img.naturalHeight });
      img.onerror = () => done(null);
      img.src = url;
    } else {
      const video = document.createElement('video');
      video.preload = 'metadata';
      video.onloadedmetadata = () => done({ width: video.videoWidth, height: video.videoHeight });
      video.onerror = () => done(null);
      video.src = url;
    }
  });
}
