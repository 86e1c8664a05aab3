// Builds container images for the lab without a registry or a Docker engine: each layer is a
// directory tarred as-is, wrapped in the docker-archive format that `ctr images import` reads.
// The lab has no registry to pull from, so every image a pod names must be built and imported here.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ImageConfig {
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, object>;
  Labels?: Record<string, string>;
}

export interface ImageSpec {
  /** Full references the image is tagged with, e.g. `docker.io/library/flink:1.20`. */
  tags: string[];
  /** Directories whose contents form the layers, bottom first (each is the root `/` of its layer). */
  layers: string[];
  config: ImageConfig;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Writes a docker-archive tarball for `spec` at `outFile` and returns its path. */
export async function buildImageArchive(spec: ImageSpec, outFile: string): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'streamcert-oci-'));
  try {
    const layerPaths: string[] = [];
    const diffIds: string[] = [];
    for (const [i, dir] of spec.layers.entries()) {
      const rel = `layer${i}/layer.tar`;
      await mkdir(join(work, `layer${i}`));
      // --numeric-owner keeps uid/gid as in the directory; sorted names keep the digest reproducible.
      await run('tar', ['--numeric-owner', '--sort=name', '-C', dir, '-cf', join(work, rel), '.'], {
        maxBuffer: 1 << 24,
      });
      diffIds.push(`sha256:${await sha256File(join(work, rel))}`);
      layerPaths.push(rel);
    }
    const configJson = JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: spec.config,
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: spec.layers.map(() => ({ created_by: 'streamcert lab image builder' })),
    });
    const configName = `${createHash('sha256').update(configJson).digest('hex')}.json`;
    await writeFile(join(work, configName), configJson);
    await writeFile(
      join(work, 'manifest.json'),
      JSON.stringify([{ Config: configName, RepoTags: spec.tags, Layers: layerPaths }]),
    );
    await mkdir(dirname(outFile), { recursive: true });
    const partial = `${outFile}.partial`;
    await run('tar', ['-C', work, '-cf', partial, '.'], { maxBuffer: 1 << 24 });
    await rename(partial, outFile);
    return outFile;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
