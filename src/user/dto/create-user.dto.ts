import { ApiProperty } from '@nestjs/swagger';
import { NameField } from '../../validation/decorators';
import type { User } from '../entities/user.entity';

export class CreateUserRequest {
  @NameField({ example: 'kim' })
  name: string;
}

export class UserResponse {
  @ApiProperty({ type: 'integer', example: 1 }) id: number;
  @ApiProperty({ example: 'kim' }) name: string;
}

export function toUserResponse(user: Pick<User, 'id' | 'name'>): UserResponse {
  return { id: user.id, name: user.name };
}
